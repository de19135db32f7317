package com.streamloom.media.codec;

/**
 * Reads the bits of a parameter set's RBSP MSB first, with Exp-Golomb ue(v) and se(v) (H.264 9.1, H.265 9.2);
 * running off the end is an error, not a zero, so a truncated parameter set can never pass for a valid one.
 */
final class RbspReader {
    private final byte[] data;
    private long bit;

    RbspReader(byte[] data, int byteOffset) {
        this.data = data;
        this.bit = byteOffset * 8L;
    }

    int readBit() {
        if (bit >= data.length * 8L) {
            throw new IllegalArgumentException("parameter set truncated");
        }
        int b = (data[(int) (bit >>> 3)] >> (7 - (bit & 7))) & 1;
        bit++;
        return b;
    }

    /** {@code n} bits (at most 31) as an unsigned number. */
    int readBits(int n) {
        int value = 0;
        for (int k = 0; k < n; k++) {
            value = (value << 1) | readBit();
        }
        return value;
    }

    void skip(int n) {
        for (int k = 0; k < n; k++) {
            readBit();
        }
    }

    int readUe() {
        int zeros = 0;
        while (readBit() == 0) {
            if (++zeros > 31) {
                throw new IllegalArgumentException("Exp-Golomb code longer than 32 bits");
            }
        }
        long value = 0;
        for (int k = 0; k < zeros; k++) {
            value = (value << 1) | readBit();
        }
        long result = (1L << zeros) - 1 + value;
        if (result > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Exp-Golomb value " + result + " out of range");
        }
        return (int) result;
    }

    /** se(v): 1, -1, 2, -2, … for codes 1, 2, 3, 4, … (H.264 9.1.1). */
    int readSe() {
        int k = readUe();
        return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
    }
}
