package com.supportress.upload.api;

import com.supportress.shared.http.JsonFields;
import com.supportress.shared.http.TextRules;
import com.supportress.upload.store.S3Checksums;
import com.supportress.upload.store.UploadMode;
import io.micronaut.json.tree.JsonNode;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The body of POST /uploads, validated: every invalid field is named in one 400. {@code method} picks how the
 * bytes travel: {@code PUT} (one request, up to SINGLE_PUT_MAX_BYTES) or {@code MULTIPART}; without it, the size
 * decides. S3 verifies every byte against a SHA-256 the client declared before sending: a PUT declares the
 * file's {@code sha256} here; a multipart upload declares each part's when it asks for that part's URL, so a
 * whole-file {@code sha256} is refused there (S3 cannot check it against parts).
 */
public record UploadRequest(String fileName, String contentType, long size, UploadMode method, Optional<String> sha256) {

    static final int MAX_FILE_NAME = 255;

    public static UploadRequest from(JsonNode body, UploadApiConfig config) {
        JsonFields fields = new JsonFields(body);
        String fileName = fields.requiredString("fileName", MAX_FILE_NAME);
        if (fileName != null) {
            // The raw value, since reading strips surrounding whitespace, control characters included.
            fileNameProblem(body.get("fileName").getStringValue()).ifPresent(problem -> fields.reject("fileName", problem));
        }
        String contentType = fields.requiredString("contentType", 255);
        String normalisedType = contentType == null ? null : contentType.toLowerCase(Locale.ROOT);
        fields.oneOf("contentType", Optional.ofNullable(normalisedType), config.allowedContentTypes());
        Optional<Long> size = fields.optionalLong("size", 1, config.largestUpload());
        if (body.get("size") == null || body.get("size").isNull()) {
            fields.reject("size", "is required");
        }
        Optional<String> method = fields.oneOf("method", fields.optionalString("method", 16).map(m -> m.toUpperCase(Locale.ROOT)),
                Set.of(UploadMode.PUT.name(), UploadMode.MULTIPART.name()));
        Optional<String> sha256 = fields.check("sha256", fields.optionalString("sha256", 64),
                S3Checksums::isSha256, "must be the base64 SHA-256 of the file (44 characters)");
        Optional<UploadMode> mode = size.map(bytes -> method.map(UploadMode::valueOf)
                .orElse(bytes <= config.singlePutMaxBytes() ? UploadMode.PUT : UploadMode.MULTIPART));
        if (mode.isPresent() && mode.get() == UploadMode.PUT) {
            if (size.get() > config.singlePutMaxBytes()) {
                fields.reject("method", "PUT takes at most " + config.singlePutMaxBytes() + " bytes; upload larger files with MULTIPART");
            }
            if (sha256.isEmpty() && !given(body, "sha256")) {
                fields.reject("sha256", "is required for a single PUT: S3 checks the bytes against it");
            }
        }
        if (mode.isPresent() && mode.get() == UploadMode.MULTIPART && sha256.isPresent()) {
            fields.reject("sha256", "is declared per part for a multipart upload, when asking for each part's URL");
        }
        fields.throwIfInvalid();
        return new UploadRequest(fileName, normalisedType, size.orElseThrow(), mode.orElseThrow(), sha256);
    }

    /** Whether a field has a value at all (an invalid one is named by its own check already). */
    private static boolean given(JsonNode body, String name) {
        JsonNode node = body.get(name);
        return node != null && !node.isNull() && !(node.isString() && node.getStringValue().isBlank());
    }

    /** File names are metadata only, never part of a key; still, a name that looks like a path or hides characters is refused. */
    static Optional<String> fileNameProblem(String name) {
        // Controls, bidi overrides and zero-width characters (Cf), line separators: any of them can disguise a name.
        if (!TextRules.isOneLine(name)) {
            return Optional.of(TextRules.ONE_LINE_RULE);
        }
        if (name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..") || name.contains(":")) {
            return Optional.of("must be a plain file name, not a path");
        }
        return Optional.empty();
    }
}
