package com.supportress.backup;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Counts and SHA-256-hashes the bytes passing through to the stream below: the file's manifest entry. */
final class HashingOutputStream extends FilterOutputStream {

    private final MessageDigest digest = ItemHash.sha256();
    private long bytes;

    HashingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        digest.update((byte) b);
        bytes++;
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
        out.write(data, offset, length);
        digest.update(data, offset, length);
        bytes += length;
    }

    long bytes() {
        return bytes;
    }

    String sha256Hex() {
        return HexFormat.of().formatHex(digest.digest());
    }
}
