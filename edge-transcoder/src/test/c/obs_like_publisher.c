/*
 * An RTMP publisher that talks to a server the way OBS Studio's RTMP output (plugins/obs-outputs/rtmp-stream.c,
 * OBS 29/30) does, built on the system's librtmp (rtmpdump), of which OBS ships a fork. Test tool only: the edge's
 * edge tests' ObsLikePublisher compiles it with gcc and runs it; it is not part of the product.
 *
 *   obs_like_publisher <server url> <stream key> <file.flv>
 *
 * What OBS does, and so what this does, in order:
 *   - RTMP_Init, RTMP_SetupURL(server url) (the URL names the application only, e.g. rtmp://host:1935/live; its
 *     tcUrl is that URL), RTMP_EnableWrite;
 *   - flashVer "FMLE/3.0 (compatible; FMSc/1.0)", swfUrl = tcUrl;
 *   - the stream key becomes the play path through RTMP_ParsePlaypath, exactly as OBS's RTMP_AddStream does, so a
 *     "?query" after the key travels with it;
 *   - outgoing chunk size 4096, announced with Set Chunk Size right after the handshake, before the connect
 *     command (OBS's librtmp fork does this when m_bSendChunkSizeInfo is set; the upstream librtmp that Debian
 *     ships has no such switch, so this program hands the Set Chunk Size packet to RTMP_Connect as its first
 *     packet and then sends the connect command itself, with the fields librtmp's SendConnectPacket writes for a
 *     publisher: app, type=nonprivate, flashVer, swfUrl, tcUrl);
 *   - Nagle left on (OBS sets m_bUseNagle);
 *   - RTMP_ConnectStream: librtmp answers connect's _result with releaseStream, FCPublish and createStream, and
 *     createStream's _result with publish; it returns once the server says NetStream.Publish.Start;
 *   - the onMetaData script tag (OBS's field list; librtmp's RTMP_Write puts "@setDataFrame" in front, which is
 *     what OBS 30 writes itself), then on the first packet the audio sequence header and then the video sequence
 *     header, all at timestamp 0, then the packets in real time with timestamps relative to the first one;
 *     HEVC goes in Enhanced RTMP tags as they are in the file (FFmpeg 8 writes them as OBS 30 does: FourCC hvc1,
 *     CodedFramesX when the composition time is 0);
 *   - before each packet, whatever the server sent is read and dropped (OBS's handle_socket_read); a read or send
 *     failure ends the stream;
 *   - on stop (end of file, SIGTERM or SIGINT): for an Enhanced RTMP codec the sequence-end
 *     packet (OBS's send_footers; none for H.264), then RTMP_Close, which sends FCUnpublish and deleteStream.
 *
 * Standard output gets one line per step ("connected", "publishing stream <id>",
 * "stopped <n> tags", "closed"); standard error gets librtmp's warnings and
 * every onStatus code the server sent.
 * Exit codes: 0 streamed and closed; 2 usage or unreadable file; 3 bad URL; 4 connect failed; 5 publish refused
 * (RTMP_ConnectStream failed); 6 the server closed or failed mid-stream.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <librtmp/amf.h>
#include <librtmp/log.h>
#include <librtmp/rtmp.h>

#define TAG_AUDIO 8
#define TAG_VIDEO 9
#define TAG_SCRIPT 18

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* librtmp logs the server's status codes at debug level only; pass those on, and warnings and errors. */
static void on_log(int level, const char *fmt, va_list args)
{
	char line[2048];
	vsnprintf(line, sizeof(line), fmt, args);
	if (level <= RTMP_LOGWARNING || strstr(line, "onStatus") || strstr(line, "error description")) {
		fprintf(stderr, "librtmp: %s\n", line);
		fflush(stderr);
	}
}

struct tag {
	uint8_t type;
	uint32_t ts;
	const uint8_t *body;
	uint32_t size;
};

static uint32_t be24(const uint8_t *p)
{
	return ((uint32_t)p[0] << 16) | ((uint32_t)p[1] << 8) | p[2];
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || st.st_size < 13) {
		fclose(f);
		return NULL;
	}
	uint8_t *buf = malloc((size_t)st.st_size);
	if (buf && fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)st.st_size;
	return buf;
}

/* Splits an FLV file into tags; returns the count, or -1 when it is not an FLV file. */
static int parse_flv(const uint8_t *buf, size_t len, struct tag **out)
{
	if (len < 13 || memcmp(buf, "FLV", 3) != 0)
		return -1;
	size_t pos = ((size_t)buf[5] << 24 | (size_t)buf[6] << 16 | (size_t)buf[7] << 8 | buf[8]) + 4;
	int n = 0, cap = 1024;
	struct tag *tags = malloc(sizeof(*tags) * cap);
	while (tags && pos + 11 <= len) {
		uint32_t size = be24(buf + pos + 1);
		if (pos + 11 + size > len)
			break;
		if (n == cap) {
			cap *= 2;
			struct tag *grown = realloc(tags, sizeof(*tags) * cap);
			if (!grown)
				break;
			tags = grown;
		}
		tags[n].type = buf[pos];
		tags[n].ts = be24(buf + pos + 4) | ((uint32_t)buf[pos + 7] << 24);
		tags[n].body = buf + pos + 11;
		tags[n].size = size;
		n++;
		pos += 11 + size + 4;
	}
	*out = tags;
	return tags ? n : -1;
}

static int is_enhanced_video(const struct tag *t)
{
	return t->type == TAG_VIDEO && t->size >= 5 && (t->body[0] & 0x80);
}

static int is_video_sequence_start(const struct tag *t)
{
	if (t->type != TAG_VIDEO || t->size < 2)
		return 0;
	return is_enhanced_video(t) ? (t->body[0] & 0x0F) == 0 : t->body[1] == 0;
}

/* Sequence end (OBS sends it itself at the end) and info/command frames (OBS sends video metadata only for HDR). */
static int is_skipped_video(const struct tag *t)
{
	if (t->type != TAG_VIDEO || t->size < 2)
		return 0;
	if (((t->body[0] >> 4) & 0x07) == 5)
		return 1;
	return is_enhanced_video(t) ? (t->body[0] & 0x0F) == 2 : t->body[1] == 2;
}

static int is_audio_sequence_start(const struct tag *t)
{
	return t->type == TAG_AUDIO && t->size >= 2 && (t->body[0] >> 4) == 10 && t->body[1] == 0;
}

/* Sends one FLV tag through RTMP_Write (11-byte tag header, body, 4-byte previous tag size), as OBS does. */
static int write_tag(RTMP *r, uint8_t type, uint32_t ts, const uint8_t *body, uint32_t size)
{
	size_t total = 11 + (size_t)size + 4;
	uint8_t *buf = malloc(total);
	if (!buf)
		return -1;
	buf[0] = type;
	buf[1] = (uint8_t)(size >> 16);
	buf[2] = (uint8_t)(size >> 8);
	buf[3] = (uint8_t)size;
	buf[4] = (uint8_t)(ts >> 16);
	buf[5] = (uint8_t)(ts >> 8);
	buf[6] = (uint8_t)ts;
	buf[7] = (uint8_t)((ts >> 24) & 0x7F);
	buf[8] = buf[9] = buf[10] = 0;
	memcpy(buf + 11, body, size);
	uint32_t tag_size = 11 + size;
	buf[11 + size] = (uint8_t)(tag_size >> 24);
	buf[12 + size] = (uint8_t)(tag_size >> 16);
	buf[13 + size] = (uint8_t)(tag_size >> 8);
	buf[14 + size] = (uint8_t)tag_size;
	int ret = RTMP_Write(r, (const char *)buf, (int)total);
	free(buf);
	return ret > 0 ? 0 : -1;
}

static AVal av(const char *s)
{
	AVal v = {(char *)s, (int)strlen(s)};
	return v;
}

static double meta_number(AMFObject *meta, const char *name)
{
	AVal n = av(name);
	return AMFProp_GetNumber(AMF_GetProp(meta, &n, -1));
}

/*
 * OBS's onMetaData (flv-mux.c build_flv_meta_data): duration and fileSize 0, the encoder's size, codec ids, rates
 * and channel layout flags, and its "encoder" string. Numbers come from the file's own onMetaData.
 */
static uint32_t build_metadata(const struct tag *script, double video_codec_id, uint8_t *out, size_t cap)
{
	AMFObject obj = {0}, meta = {0};
	if (script && AMF_Decode(&obj, (const char *)script->body, (int)script->size, FALSE) >= 0 && obj.o_num >= 2) {
		AMFObjectProperty *p = AMF_GetProp(&obj, NULL, 1);
		/* ffmpeg writes an ECMA array, which AMFProp_GetObject does not hand out */
		if (p->p_type == AMF_ECMA_ARRAY || p->p_type == AMF_OBJECT)
			meta = p->p_vu.p_object;
	}
	double channels = meta_number(&meta, "stereo") ? 2.0 : 1.0;
	char *enc = (char *)out, *end = (char *)out + cap;
	AVal s = av("onMetaData");
	enc = AMF_EncodeString(enc, end, &s);
	*enc++ = AMF_ECMA_ARRAY;
	enc = AMF_EncodeInt32(enc, end, 20);
	struct {
		const char *name;
		double value;
	} numbers[] = {
		{"duration", 0.0},
		{"fileSize", 0.0},
		{"width", meta_number(&meta, "width")},
		{"height", meta_number(&meta, "height")},
		{"videocodecid", video_codec_id},
		{"videodatarate", 2500.0},
		{"framerate", meta_number(&meta, "framerate")},
		{"audiocodecid", 10.0},
		{"audiodatarate", 160.0},
		{"audiosamplerate", meta_number(&meta, "audiosamplerate")},
		{"audiosamplesize", 16.0},
		{"audiochannels", channels},
	};
	for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]) && enc; i++) {
		AVal name = av(numbers[i].name);
		enc = AMF_EncodeNamedNumber(enc, end, &name, numbers[i].value);
	}
	const char *layouts[] = {"stereo", "2.1", "3.1", "4.0", "4.1", "5.1", "7.1"};
	const double layout_channels[] = {2, 3, 4, 4, 5, 6, 8};
	for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]) && enc; i++) {
		AVal name = av(layouts[i]);
		enc = AMF_EncodeNamedBoolean(enc, end, &name, channels == layout_channels[i]);
	}
	AVal encoder_name = av("encoder"), encoder = av("obs-output module (libobs version 30.2.3)");
	if (enc)
		enc = AMF_EncodeNamedString(enc, end, &encoder_name, &encoder);
	AMF_Reset(&obj);
	if (!enc || enc + 3 > end)
		return 0;
	*enc++ = 0;
	*enc++ = 0;
	*enc++ = AMF_OBJECT_END;
	return (uint32_t)(enc - (char *)out);
}

/* Set Chunk Size (protocol control message 1 on chunk stream 2), sent by RTMP_Connect right after the handshake. */
static void chunk_size_packet(RTMPPacket *p, char *buf, size_t cap, int chunk_size)
{
	memset(p, 0, sizeof(*p));
	p->m_nChannel = 0x02;
	p->m_headerType = RTMP_PACKET_SIZE_LARGE;
	p->m_packetType = RTMP_PACKET_TYPE_CHUNK_SIZE;
	p->m_body = buf + RTMP_MAX_HEADER_SIZE;
	p->m_nBodySize = 4;
	AMF_EncodeInt32(p->m_body, buf + cap, chunk_size);
}

/* The connect command of a publisher, as librtmp writes it; queued so that librtmp recognises its _result. */
static int send_connect(RTMP *r)
{
	char buf[4096], *end = buf + sizeof(buf);
	RTMPPacket p;
	memset(&p, 0, sizeof(p));
	p.m_nChannel = 0x03;
	p.m_headerType = RTMP_PACKET_SIZE_LARGE;
	p.m_packetType = RTMP_PACKET_TYPE_INVOKE;
	p.m_body = buf + RTMP_MAX_HEADER_SIZE;
	char *enc = p.m_body;
	AVal connect = av("connect"), app = av("app"), type = av("type"), nonprivate = av("nonprivate"),
	     flash_ver = av("flashVer"), swf_url = av("swfUrl"), tc_url = av("tcUrl");
	enc = AMF_EncodeString(enc, end, &connect);
	enc = AMF_EncodeNumber(enc, end, ++r->m_numInvokes);
	*enc++ = AMF_OBJECT;
	enc = AMF_EncodeNamedString(enc, end, &app, &r->Link.app);
	if (enc)
		enc = AMF_EncodeNamedString(enc, end, &type, &nonprivate);
	if (enc && r->Link.flashVer.av_len)
		enc = AMF_EncodeNamedString(enc, end, &flash_ver, &r->Link.flashVer);
	if (enc && r->Link.swfUrl.av_len)
		enc = AMF_EncodeNamedString(enc, end, &swf_url, &r->Link.swfUrl);
	if (enc && r->Link.tcUrl.av_len)
		enc = AMF_EncodeNamedString(enc, end, &tc_url, &r->Link.tcUrl);
	if (!enc || enc + 3 > end)
		return FALSE;
	*enc++ = 0;
	*enc++ = 0;
	*enc++ = AMF_OBJECT_END;
	p.m_nBodySize = (uint32_t)(enc - p.m_body);
	return RTMP_SendPacket(r, &p, TRUE);
}

/* OBS's handle_socket_read: read and drop one chunk when the server sent something; false when it went away. */
static int drain_incoming(RTMP *r)
{
	int available = 0;
	if (ioctl(RTMP_Socket(r), FIONREAD, &available) < 0 || available <= 0)
		return 1;
	RTMPPacket p = {0};
	if (!RTMP_ReadPacket(r, &p))
		return 0;
	RTMPPacket_Free(&p);
	return 1;
}

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void sleep_until(int64_t deadline_ms)
{
	for (;;) {
		int64_t left = deadline_ms - now_ms();
		if (left <= 0 || stop_requested)
			return;
		struct timespec t = {(time_t)(left / 1000), (long)(left % 1000) * 1000000L};
		nanosleep(&t, NULL);
	}
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: %s <server url> <stream key> <file.flv>\n", argv[0]);
		return 2;
	}
	size_t len = 0;
	uint8_t *file = read_file(argv[3], &len);
	struct tag *tags = NULL;
	int ntags = file ? parse_flv(file, len, &tags) : -1;
	if (ntags <= 0) {
		fprintf(stderr, "cannot read FLV tags from %s\n", argv[3]);
		return 2;
	}
	const struct tag *script = NULL, *video_header = NULL, *audio_header = NULL;
	for (int i = 0; i < ntags; i++) {
		if (tags[i].type == TAG_SCRIPT && !script)
			script = &tags[i];
		else if (is_video_sequence_start(&tags[i]) && !video_header)
			video_header = &tags[i];
		else if (is_audio_sequence_start(&tags[i]) && !audio_header)
			audio_header = &tags[i];
	}
	if (!video_header) {
		fprintf(stderr, "%s has no video sequence header\n", argv[3]);
		return 2;
	}
	int enhanced = is_enhanced_video(video_header);
	double video_codec_id = enhanced ? (double)((uint32_t)video_header->body[1] << 24 |
						    (uint32_t)video_header->body[2] << 16 |
						    (uint32_t)video_header->body[3] << 8 | video_header->body[4])
					 : (double)(video_header->body[0] & 0x0F);

	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	RTMP_LogSetCallback(on_log);
	RTMP_LogSetLevel(RTMP_LOGDEBUG);

	/* rtmp-stream.c try_connect */
	static RTMP rtmp;
	RTMP *r = &rtmp;
	RTMP_Init(r);
	char *url = strdup(argv[1]); /* librtmp keeps pointers into it (tcUrl, app, host) */
	if (!RTMP_SetupURL(r, url)) {
		fprintf(stderr, "bad server URL %s\n", argv[1]);
		return 3;
	}
	RTMP_EnableWrite(r);
	r->Link.flashVer = av("FMLE/3.0 (compatible; FMSc/1.0)");
	r->Link.swfUrl = r->Link.tcUrl;
	AVal key = av(argv[2]);
	RTMP_ParsePlaypath(&key, &r->Link.playpath);
	r->m_outChunkSize = 4096;

	char chunk_buf[64];
	RTMPPacket chunk;
	chunk_size_packet(&chunk, chunk_buf, sizeof(chunk_buf), r->m_outChunkSize);
	if (!RTMP_Connect(r, &chunk)) {
		fprintf(stderr, "connect to %s failed\n", argv[1]);
		return 4;
	}
	int nodelay = 0; /* m_bUseNagle */
	setsockopt(RTMP_Socket(r), IPPROTO_TCP, TCP_NODELAY, &nodelay, sizeof(nodelay));
	if (!send_connect(r)) {
		fprintf(stderr, "sending connect failed\n");
		RTMP_Close(r);
		return 4;
	}
	printf("connected\n");
	fflush(stdout);
	if (!RTMP_ConnectStream(r, 0)) {
		fprintf(stderr, "publish refused\n");
		RTMP_Close(r);
		return 5;
	}
	printf("publishing stream %d\n", r->m_stream_id);
	fflush(stdout);

	/* init_send: metadata first */
	uint8_t meta[2048];
	uint32_t meta_size = build_metadata(script, video_codec_id, meta, sizeof(meta));
	int failed = meta_size == 0 || write_tag(r, TAG_SCRIPT, 0, meta, meta_size) != 0;

	/* send_thread: headers on the first packet (audio first, then video), then packets in real time */
	long sent = 0;
	int64_t start = -1;
	uint32_t first_ts = 0, last_ts = 0;
	for (int i = 0; i < ntags && !failed && !stop_requested; i++) {
		const struct tag *t = &tags[i];
		if ((t->type != TAG_AUDIO && t->type != TAG_VIDEO) || t == video_header || t == audio_header ||
		    is_skipped_video(t) || is_audio_sequence_start(t) || is_video_sequence_start(t))
			continue;
		if (start < 0) {
			first_ts = t->ts;
			if (audio_header && write_tag(r, TAG_AUDIO, 0, audio_header->body, audio_header->size) != 0)
				failed = 1;
			if (!failed && write_tag(r, TAG_VIDEO, 0, video_header->body, video_header->size) != 0)
				failed = 1;
			start = now_ms();
		}
		uint32_t ts = t->ts >= first_ts ? t->ts - first_ts : 0;
		sleep_until(start + ts);
		if (stop_requested || failed)
			break;
		if (!drain_incoming(r) || write_tag(r, t->type, ts, t->body, t->size) != 0) {
			failed = 1;
			break;
		}
		last_ts = ts;
		sent++;
	}
	if (failed || !RTMP_IsConnected(r)) {
		fprintf(stderr, "the server closed the connection or a send failed after %ld tags\n", sent);
		RTMP_Close(r);
		return 6;
	}
	/* send_footers: the sequence end of an Enhanced RTMP codec (none for H.264 on track 0) */
	if (enhanced) {
		uint8_t footer[5] = {0x80 | 0x20 | 0x02, video_header->body[1], video_header->body[2],
				     video_header->body[3], video_header->body[4]};
		write_tag(r, TAG_VIDEO, last_ts, footer, sizeof(footer));
	}
	printf("stopped %ld tags\n", sent);
	fflush(stdout);
	RTMP_Close(r); /* FCUnpublish, deleteStream, close */
	printf("closed\n");
	fflush(stdout);
	free(url);
	free(tags);
	free(file);
	return 0;
}
