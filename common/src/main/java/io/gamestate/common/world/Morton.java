package io.gamestate.common.world;

/**
 * Z-order keys: x and y quantized to 31 bits each (as fractions of the world extent) and
 * interleaved into one 62-bit key, x on the even bits, so that an aligned square of the world is
 * one contiguous key range on a plain B-tree index.
 */
public final class Morton {

    public static final int BITS = 31;
    static final long MAX = (1L << BITS) - 1;

    private Morton() {
    }

    /** Key of a point given as fractions of the world extent in [0, 1). */
    public static long encode(double fx, double fy) {
        return key(quantize(fx), quantize(fy));
    }

    static long key(long qx, long qy) {
        return interleave(qx) | (interleave(qy) << 1);
    }

    public static long quantize(double fraction) {
        return Math.min(MAX, Math.max(0L, (long) (fraction * (MAX + 1))));
    }

    /** Spreads the low 31 bits of v to the even bit positions. */
    static long interleave(long v) {
        v &= MAX;
        v = (v | (v << 16)) & 0x0000FFFF0000FFFFL;
        v = (v | (v << 8)) & 0x00FF00FF00FF00FFL;
        v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v << 2)) & 0x3333333333333333L;
        v = (v | (v << 1)) & 0x5555555555555555L;
        return v;
    }

    /** Inverse of {@link #interleave}: gathers the even bits. */
    static long deinterleave(long v) {
        v &= 0x5555555555555555L;
        v = (v | (v >>> 1)) & 0x3333333333333333L;
        v = (v | (v >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v >>> 4)) & 0x00FF00FF00FF00FFL;
        v = (v | (v >>> 8)) & 0x0000FFFF0000FFFFL;
        v = (v | (v >>> 16)) & 0x00000000FFFFFFFFL;
        return v;
    }

    public static long x(long key) {
        return deinterleave(key);
    }

    public static long y(long key) {
        return deinterleave(key >>> 1);
    }
}
