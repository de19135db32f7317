#!/usr/bin/python3
"""A live RTSP camera for tests: GStreamer's RTSP server (Debian: gir1.2-gst-rtsp-server-1.0) serving a live
test pattern as H.264 (and optionally AAC) on 127.0.0.1:<port><mount>.

Prints "READY rtsp://..." on stdout once it listens, "MISSING <what>: <debian packages>" and exit code 3 when a
GStreamer part is not installed. Runs until SIGTERM/SIGINT. Started by com.streamloom.media.testing.RtspCamera.
"""
import argparse
import signal
import sys


def missing(what, packages):
    print("MISSING %s: install the Debian packages %s" % (what, packages), flush=True)
    sys.exit(3)


try:
    import gi
except ImportError:
    missing("python3-gi", "python3-gi")
try:
    gi.require_version("Gst", "1.0")
    gi.require_version("GstRtspServer", "1.0")
    from gi.repository import Gst, GstRtspServer, GLib
except (ValueError, ImportError) as e:
    missing("GStreamer RTSP server typelib (%s)" % e,
            "gir1.2-gst-rtsp-server-1.0 gir1.2-gstreamer-1.0 python3-gst-1.0 gstreamer1.0-rtsp")

# Element -> the Debian package that ships it.
ELEMENTS = {
    "videotestsrc": "gstreamer1.0-plugins-base",
    "videoconvert": "gstreamer1.0-plugins-base",
    "x264enc": "gstreamer1.0-plugins-ugly",
    "h264parse": "gstreamer1.0-plugins-bad",
    "rtph264pay": "gstreamer1.0-plugins-good",
}
AUDIO_ELEMENTS = {
    "audiotestsrc": "gstreamer1.0-plugins-base",
    "audioconvert": "gstreamer1.0-plugins-base",
    "audioresample": "gstreamer1.0-plugins-base",
    "voaacenc": "gstreamer1.0-plugins-bad",
    "rtpmp4gpay": "gstreamer1.0-plugins-good",
}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--mount", default="/cam")
    p.add_argument("--width", type=int, default=320)
    p.add_argument("--height", type=int, default=240)
    p.add_argument("--fps", type=int, default=30)
    p.add_argument("--pattern", default="smpte")
    p.add_argument("--audio-hz", type=float, default=0, help="sine tone frequency; 0 = no audio track")
    a = p.parse_args()

    Gst.init(None)
    needed = dict(ELEMENTS)
    if a.audio_hz > 0:
        needed.update(AUDIO_ELEMENTS)
    for element, package in needed.items():
        if Gst.ElementFactory.find(element) is None:
            missing("GStreamer element %s" % element, package)

    # key-int-max = fps: a keyframe every second, so a client that (re)connects starts within a second.
    launch = ("( videotestsrc is-live=true pattern=%s ! video/x-raw,width=%d,height=%d,framerate=%d/1 "
              "! videoconvert ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=%d bitrate=500 "
              "! video/x-h264,profile=baseline ! h264parse config-interval=-1 ! rtph264pay name=pay0 pt=96"
              % (a.pattern, a.width, a.height, a.fps, a.fps))
    if a.audio_hz > 0:
        launch += (" audiotestsrc is-live=true wave=sine freq=%g ! audioconvert ! audioresample "
                   "! audio/x-raw,rate=48000,channels=1 ! voaacenc bitrate=64000 ! rtpmp4gpay name=pay1 pt=97"
                   % a.audio_hz)
    launch += " )"

    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(a.port))
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(launch)
    factory.set_shared(True)  # one encoder for all clients, like a camera
    server.get_mount_points().add_factory(a.mount, factory)
    if server.attach(None) == 0:
        print("FAILED cannot listen on 127.0.0.1:%d" % a.port, flush=True)
        sys.exit(4)

    loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, lambda *_: (loop.quit(), False)[1])
    print("READY rtsp://127.0.0.1:%d%s" % (a.port, a.mount), flush=True)
    loop.run()


if __name__ == "__main__":
    main()
