// StreamLoom player page: lists the node's live streams (GET /api/streams) and plays one with hls.js.
// Open /?stream=NAME to start a stream directly (scripts and browser tests use this); a stream with
// "playback": "signed" also needs its playback token: /?stream=NAME&token=TOKEN (the control API's playback-tokens
// answer). The token goes on the playlist URL only: the node adds it to every URI in the playlists it serves.
(function () {
  'use strict';

  var REFRESH_MS = 3000;
  var video = document.getElementById('video');
  var list = document.getElementById('streams');
  var status = document.getElementById('status');
  var nowPlaying = document.getElementById('now-playing');
  var current = null; // { name, hls }
  var params = new URLSearchParams(window.location.search);
  var wanted = params.get('stream');
  var token = params.get('token');

  function setStatus(state, text) {
    status.dataset.state = state;
    status.textContent = text;
  }

  // Low latency: StreamLoom nodes serve LL-HLS (parts, blocking playlist reload), and with lowLatencyMode hls.js
  // plays PART-HOLD-BACK (three parts, about 1 s) behind the live edge. liveSyncDurationCount must not be set here:
  // hls.js lets a configured value override PART-HOLD-BACK. A playlist without parts (a plain web server serving the
  // node's HLS directory) gets the two-segment distance on its first load instead. Seek back to the target when more
  // than five segments behind (also set on the first load: hls.js refuses liveMaxLatencyDurationCount in the
  // constructor without liveSyncDurationCount).
  var PLAIN_SYNC_SEGMENTS = 2;
  var MAX_LATENCY_SEGMENTS = 5;

  // A node restart or a publisher reconnect is temporary: connections are refused or reset for a few seconds
  // (status 0), the playlist answers 503 until the first new segment, and a node starting up does not know the stream
  // for a moment (404). hls.js retries a 5xx but gives up at once on status 0 (it takes it for a CORS error) and on
  // a 404, which ended playback with a fatal levelLoadError. So playlist loads retry those too, with backoff, about
  // 25 s in all. Media loads retry status 0 and 503; a missing part (404) is left to hls.js, which skips it as a gap.
  function retrying(codes) {
    return function (config, count, timedOut, response, retryByDefault) {
      var code = response ? response.code : undefined;
      return retryByDefault || (count < config.maxNumRetry && codes.indexOf(code) >= 0);
    };
  }
  function loadPolicy(maxLoadTimeMs, codes) {
    return {
      default: {
        maxTimeToFirstByteMs: 10000,
        maxLoadTimeMs: maxLoadTimeMs,
        timeoutRetry: { maxNumRetry: 4, retryDelayMs: 0, maxRetryDelayMs: 0 },
        errorRetry: { maxNumRetry: 8, retryDelayMs: 500, maxRetryDelayMs: 4000, shouldRetry: retrying(codes) }
      }
    };
  }
  var HLS_CONFIG = {
    lowLatencyMode: true,
    maxLiveSyncPlaybackRate: 1.5,
    backBufferLength: 30,
    manifestLoadPolicy: loadPolicy(20000, [0, 404, 503]),
    playlistLoadPolicy: loadPolicy(20000, [0, 404, 503]),
    fragLoadPolicy: loadPolicy(120000, [0, 503])
  };

  function play(stream) {
    stop();
    var playlist = new URL(stream.playbackUrl, window.location.href);
    if (token && stream.name === wanted) {
      playlist.searchParams.set('token', token);
    }
    var url = playlist.toString();
    nowPlaying.textContent = stream.name + ' — ' + url;
    setStatus('loading', 'Loading ' + stream.name + '…');
    if (window.Hls && Hls.isSupported()) {
      var hls = new Hls(HLS_CONFIG);
      hls.on(Hls.Events.MANIFEST_PARSED, function () {
        video.play().catch(function () { /* autoplay refused: the user presses play */ });
      });
      var tuned = false;
      hls.on(Hls.Events.LEVEL_LOADED, function (event, data) {
        if (tuned) {
          return;
        }
        tuned = true;
        hls.config.liveMaxLatencyDurationCount = MAX_LATENCY_SEGMENTS;
        if (data.details.live && !data.details.partHoldBack) {
          hls.targetLatency = PLAIN_SYNC_SEGMENTS * data.details.targetduration;
        }
      });
      hls.on(Hls.Events.ERROR, function (event, data) {
        if (!data.fatal) {
          return;
        }
        var httpStatus = data.response ? data.response.code : null;
        window.streamloomPlayer.lastError = { details: data.details, status: httpStatus };
        if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
          hls.recoverMediaError();
        } else if (httpStatus === 403) {
          setStatus('error', stream.name + ' needs a valid playback token: open this page with ?stream=' +
            stream.name + '&token=<token>');
        } else {
          setStatus('error', stream.name + ': ' + data.details + ', retrying');
          setTimeout(function () {
            if (current && current.name === stream.name) { play(stream); }
          }, 2000);
        }
      });
      hls.loadSource(url);
      hls.attachMedia(video);
      current = { name: stream.name, hls: hls, watchdog: stallWatchdog(hls) };
    } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
      video.src = url; // Safari plays HLS natively
      video.play().catch(function () {});
      current = { name: stream.name, hls: null };
    } else {
      setStatus('error', 'This browser cannot play HLS');
      return;
    }
    window.streamloomPlayer = { video: video, hls: current.hls, stream: stream.name };
    markSelected();
  }

  // After a node restart the new segments start where the wall clock is, seconds after what the player buffered
  // (the playlist marks the gap with EXT-X-DISCONTINUITY and its PROGRAM-DATE-TIME says how long it is). hls.js jumps
  // only small holes, so a player could sit at the end of its old buffer while the new media lies ahead. When playback
  // has not moved for STALL_MS although the live edge is ahead, jump to the live edge (where a fresh player starts).
  var STALL_MS = 3000;
  function stallWatchdog(hls) {
    var lastTime = -1;
    var stillSince = Date.now();
    return setInterval(function () {
      if (video.paused || video.seeking) {
        stillSince = Date.now();
        return;
      }
      if (video.currentTime !== lastTime) {
        lastTime = video.currentTime;
        stillSince = Date.now();
        return;
      }
      var edge = hls.liveSyncPosition;
      if (Date.now() - stillSince >= STALL_MS && typeof edge === 'number' && edge > video.currentTime + 1) {
        video.currentTime = edge;
        stillSince = Date.now();
      }
    }, 500);
  }

  function stop() {
    if (current && current.watchdog) {
      clearInterval(current.watchdog);
    }
    if (current && current.hls) {
      current.hls.destroy();
    }
    current = null;
    video.removeAttribute('src');
    video.load();
  }

  function markSelected() {
    Array.prototype.forEach.call(list.querySelectorAll('button'), function (button) {
      button.classList.toggle('selected', current !== null && button.dataset.name === current.name);
    });
  }

  function render(streams) {
    list.textContent = '';
    if (streams.length === 0) {
      var empty = document.createElement('li');
      empty.className = 'empty';
      empty.textContent = 'No streams';
      list.appendChild(empty);
      return;
    }
    streams.forEach(function (stream) {
      var item = document.createElement('li');
      var button = document.createElement('button');
      button.dataset.name = stream.name;
      button.textContent = stream.name; // textContent, never innerHTML: names come from the server
      var state = document.createElement('span');
      state.className = 'state';
      state.textContent = stream.playback === 'signed' ? stream.state + ' (token)' : stream.state;
      button.appendChild(state);
      button.addEventListener('click', function () { play(stream); });
      item.appendChild(button);
      list.appendChild(item);
      if (current && current.name === stream.name) {
        showState(stream);
      }
    });
    markSelected();
  }

  function showState(stream) {
    if (status.dataset.state === 'error' && stream.state === 'LIVE') {
      return; // the retry loop reports
    }
    if (!video.paused && video.currentTime > 0) {
      setStatus('playing', stream.name + ': ' + stream.state);
    } else {
      setStatus(stream.state === 'LIVE' ? 'loading' : 'waiting', stream.name + ': ' + stream.state);
    }
  }

  function refresh() {
    fetch('/api/streams', { cache: 'no-store' })
      .then(function (response) {
        if (!response.ok) { throw new Error('HTTP ' + response.status); }
        return response.json();
      })
      .then(function (streams) {
        render(streams);
        if (wanted && !current) {
          var match = streams.filter(function (s) { return s.name === wanted; })[0];
          if (match) { play(match); }
        }
      })
      .catch(function (error) {
        if (!current) { setStatus('error', 'Cannot list streams: ' + error.message); }
      })
      .finally(function () { setTimeout(refresh, REFRESH_MS); });
  }

  video.addEventListener('playing', function () {
    if (current) { setStatus('playing', current.name + ': playing'); }
  });
  video.addEventListener('waiting', function () {
    if (current) { setStatus('loading', current.name + ': buffering'); }
  });

  refresh();
})();
