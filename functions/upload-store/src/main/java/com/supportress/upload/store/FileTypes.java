package com.supportress.upload.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The file types uploads may declare, each with the magic number its first bytes must carry. The API
 * accepts only types listed here (a configured allowlist may narrow it), so the ingest function can
 * check every stored object against its declared type.
 */
public final class FileTypes {

    /** How many leading bytes the checks read: enough for every signature below. */
    public static final int HEAD_BYTES = 64;

    private enum Signature {
        PNG, JPEG, GIF, WEBP, PDF, ZIP, OLE, TEXT
    }

    private static final Map<String, Signature> TYPES = new LinkedHashMap<>();

    static {
        TYPES.put("image/png", Signature.PNG);
        TYPES.put("image/jpeg", Signature.JPEG);
        TYPES.put("image/gif", Signature.GIF);
        TYPES.put("image/webp", Signature.WEBP);
        TYPES.put("application/pdf", Signature.PDF);
        TYPES.put("text/plain", Signature.TEXT);
        TYPES.put("text/csv", Signature.TEXT);
        TYPES.put("application/zip", Signature.ZIP);
        // Office Open XML documents are zip containers; the legacy formats are OLE compound files.
        TYPES.put("application/vnd.openxmlformats-officedocument.wordprocessingml.document", Signature.ZIP);
        TYPES.put("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Signature.ZIP);
        TYPES.put("application/vnd.openxmlformats-officedocument.presentationml.presentation", Signature.ZIP);
        TYPES.put("application/msword", Signature.OLE);
        TYPES.put("application/vnd.ms-excel", Signature.OLE);
        TYPES.put("application/vnd.ms-powerpoint", Signature.OLE);
    }

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};
    private static final byte[] OLE = {(byte) 0xd0, (byte) 0xcf, 0x11, (byte) 0xe0, (byte) 0xa1, (byte) 0xb1, 0x1a, (byte) 0xe1};
    private static final List<byte[]> ZIP = List.of(new byte[]{'P', 'K', 3, 4}, new byte[]{'P', 'K', 5, 6});

    private FileTypes() {
    }

    /** Every type with a known signature: the default allowlist, and the bound on a configured one. */
    public static Set<String> known() {
        return TYPES.keySet();
    }

    /** Why the first bytes of an object are not of the declared type, or empty when they are. */
    public static Optional<String> mismatch(String declaredType, byte[] head) {
        Signature expected = TYPES.get(declaredType);
        if (expected == null) {
            return Optional.of("declared type " + declaredType + " is not a known file type");
        }
        boolean matches = switch (expected) {
            case PNG -> startsWith(head, PNG);
            case JPEG -> startsWith(head, JPEG);
            case GIF -> startsWith(head, ascii("GIF87a")) || startsWith(head, ascii("GIF89a"));
            case WEBP -> startsWith(head, ascii("RIFF")) && head.length >= 12 && Arrays.equals(head, 8, 12, ascii("WEBP"), 0, 4);
            case PDF -> startsWith(head, ascii("%PDF-"));
            case ZIP -> ZIP.stream().anyMatch(signature -> startsWith(head, signature));
            case OLE -> startsWith(head, OLE);
            case TEXT -> looksLikeText(head);
        };
        return matches ? Optional.empty() : Optional.of("content is not " + declaredType);
    }

    /** Text has no NUL or other C0 control bytes besides tab, line breaks and form feed, and no binary signature. */
    private static boolean looksLikeText(byte[] head) {
        for (byte b : head) {
            if (b >= 0 && b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f') {
                return false;
            }
        }
        return !startsWith(head, PNG) && !startsWith(head, JPEG) && !startsWith(head, OLE);
    }

    private static boolean startsWith(byte[] head, byte[] signature) {
        return head.length >= signature.length && Arrays.equals(head, 0, signature.length, signature, 0, signature.length);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
