package com.supportress.backup;

/** S3's SHA-256 checksums as S3 reports them: base64, and for a multipart object a composite with "-N" for N parts. */
final class Checksums {

    private Checksums() {
    }

    /** Equal digests; the part count must match too when both show one (some emulators omit the suffix). */
    static boolean same(String expected, String actual) {
        if (expected == null || actual == null) {
            return false;
        }
        String[] wanted = expected.split("-", 2);
        String[] found = actual.split("-", 2);
        return wanted[0].equals(found[0]) && (wanted.length == 1 || found.length == 1 || wanted[1].equals(found[1]));
    }
}
