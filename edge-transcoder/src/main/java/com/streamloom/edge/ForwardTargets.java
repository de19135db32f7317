package com.streamloom.edge;

import com.streamloom.media.rtmp.RtmpUrl;
import com.streamloom.spec.HostRules;
import com.streamloom.spec.SpecException;

import java.util.List;

/** How a stream's forward targets are named in logs and status, and which of them cannot be used. */
final class ForwardTargets {
    private ForwardTargets() {
    }

    /**
     * Why a target could not be forwarded to (named without its secrets), or null when all can. A host the node's
     * outbound rules deny is named here at once; its publisher checks the resolved address again at every connect.
     */
    static String unusable(List<String> urls, HostRules outbound) {
        for (int i = 0; i < urls.size(); i++) {
            String url = urls.get(i);
            RtmpUrl parsed;
            try {
                parsed = RtmpUrl.parse(url);
            } catch (RuntimeException e) {
                return "forward to " + redacted(url) + " not started: not an rtmp:// publish URL";
            }
            try {
                outbound.checkSpelled("output.forwardUrls[" + i + "]", parsed.host());
            } catch (SpecException e) {
                return "forward to " + redacted(url) + " refused: " + e.getMessage();
            }
        }
        return null;
    }

    /** A forward URL for logs and status: its query and stream name may hold a token or key. */
    static String redacted(String url) {
        try {
            return RtmpUrl.parse(url).toString();
        } catch (RuntimeException e) {
            return "<invalid RTMP URL>";
        }
    }
}
