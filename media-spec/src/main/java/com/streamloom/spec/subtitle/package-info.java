/**
 * SubRip and WebVTT documents read into timed cues, in pure Java: the control API refuses a {@code subtitles} stage
 * whose document does not parse, and the node draws the cues, with one parser.
 */
package com.streamloom.spec.subtitle;
