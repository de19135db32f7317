/**
 * Prints the path of the ffmpeg program that JavaCV ships (unpacked into JavaCPP's cache), for soak.sh on machines
 * without an ffmpeg of their own. Run with the source launcher: {@code java -cp "edge/lib/*" ShippedFfmpeg.java}.
 */
public final class ShippedFfmpeg {
    public static void main(String[] args) throws Exception {
        System.out.println(org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
    }
}
