package com.supportress.upload.api;

import com.supportress.shared.config.FunctionEnvironment;
import com.supportress.upload.store.FileTypes;
import com.supportress.upload.store.TenantQuota;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Everything upload-api reads from its environment, in one place; the names are the ones template.yaml
 * sets on UploadApiFunction. Limits that S3 or the security promise fix are checked here at start, so a
 * wrong setting fails the deployment's first request loudly instead of weakening an upload.
 */
public record UploadApiConfig(
        String bucket,
        Set<String> allowedContentTypes,
        long maxUploadBytes,
        long singlePutMaxBytes,
        long partSizeBytes,
        Duration urlExpiry,
        Duration uploadWindow,
        TenantQuota quota,
        String tenantClaim,
        Optional<String> tokenUse) {

    /** Presigned URLs live at most five minutes: a slow client asks again rather than holding a long-lived URL. */
    static final Duration MAX_URL_EXPIRY = Duration.ofSeconds(300);
    static final long MIB = 1024L * 1024;
    static final long S3_MIN_PART = 5 * MIB;
    static final long S3_MAX_PART = 5 * 1024 * MIB;
    static final long S3_MAX_SINGLE_PUT = 5 * 1024 * MIB;
    static final int S3_MAX_PARTS = 10_000;

    public UploadApiConfig {
        allowedContentTypes = Set.copyOf(allowedContentTypes);
        Set<String> unknown = new LinkedHashSet<>(allowedContentTypes);
        unknown.removeAll(FileTypes.known());
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("ALLOWED_CONTENT_TYPES lists types the ingest function cannot check: " + unknown);
        }
        if (urlExpiry.isNegative() || urlExpiry.isZero() || urlExpiry.compareTo(MAX_URL_EXPIRY) > 0) {
            throw new IllegalStateException("UPLOAD_URL_EXPIRY_SECONDS must be 1 to " + MAX_URL_EXPIRY.toSeconds());
        }
        if (singlePutMaxBytes < 1 || singlePutMaxBytes > S3_MAX_SINGLE_PUT) {
            throw new IllegalStateException("SINGLE_PUT_MAX_BYTES must be 1 to " + S3_MAX_SINGLE_PUT + " (S3's limit for one PUT)");
        }
        if (partSizeBytes < S3_MIN_PART || partSizeBytes > S3_MAX_PART) {
            throw new IllegalStateException("PART_SIZE_BYTES must be " + S3_MIN_PART + " to " + S3_MAX_PART + " (S3's part limits)");
        }
        if (maxUploadBytes < 1 || maxUploadBytes > S3_MAX_PART * S3_MAX_PARTS) {
            throw new IllegalStateException("MAX_UPLOAD_BYTES must be 1 to " + S3_MAX_PART * S3_MAX_PARTS);
        }
    }

    public static UploadApiConfig from(FunctionEnvironment env) {
        Set<String> types = env.find("ALLOWED_CONTENT_TYPES")
                .map(list -> (Set<String>) new LinkedHashSet<>(Arrays.asList(list.trim().split("\\s*,\\s*"))))
                .orElse(FileTypes.known());
        return new UploadApiConfig(
                env.require("UPLOAD_BUCKET"),
                types,
                env.getLong("MAX_UPLOAD_BYTES", 50 * 1024 * MIB),
                env.getLong("SINGLE_PUT_MAX_BYTES", 100 * MIB),
                env.getLong("PART_SIZE_BYTES", 64 * MIB),
                Duration.ofSeconds(env.getLong("UPLOAD_URL_EXPIRY_SECONDS", 300)),
                // Matches the bucket's lifecycle rule, which aborts multipart uploads left incomplete for a day.
                Duration.ofDays(1),
                new TenantQuota(env.getInt("MAX_OPEN_UPLOADS_PER_TENANT", 20),
                        env.getLong("MAX_UPLOAD_BYTES_PER_TENANT_PER_DAY", 100 * 1024 * MIB)),
                env.get("TENANT_CLAIM", "custom:tenant_id"),
                // "none": the issuer's tokens carry no token_use claim; anything else must match it exactly.
                Optional.of(env.get("TOKEN_USE", "id")).filter(use -> !use.equals("none")));
    }

    /** The largest upload a tenant can start: the per-upload limit, or the whole daily quota if that is smaller. */
    long largestUpload() {
        return Math.min(maxUploadBytes, quota.maxBytesPerDay());
    }

    @Factory
    static class Beans {
        @Singleton
        UploadApiConfig uploadApiConfig(FunctionEnvironment environment) {
            return UploadApiConfig.from(environment);
        }
    }
}
