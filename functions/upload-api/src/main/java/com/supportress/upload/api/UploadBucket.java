package com.supportress.upload.api;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.awscore.presigner.PresignedRequest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The primary upload bucket as upload-api uses it: presigned PUTs and part uploads for the browser, and
 * the multipart calls only the server makes. Every URL is signed over the headers that pin the upload
 * (type, length, checksum), so S3 itself refuses a request that changes any of them.
 */
@Singleton
public class UploadBucket {

    /** A request the browser makes straight to S3: the URL and the headers it must send as signed. */
    @Serdeable
    public record SignedRequest(String url, Map<String, String> headers, String expiresAt) {
    }

    /** A part S3 holds for an open multipart upload. */
    @Serdeable
    public record UploadedPart(int partNumber, long size, String etag) {
    }

    // S3 may take many seconds to assemble a large object: this call gets most of the request's 29 s, not the 4 s
    // every other call of the request path gets (AwsCallLimits.REQUEST_PATH).
    private static final Duration COMPLETE_WITHIN = Duration.ofSeconds(20);

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;

    public UploadBucket(S3Client s3, S3Presigner presigner, UploadApiConfig config) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = config.bucket();
    }

    /** If-None-Match: * makes S3 refuse a second PUT to the key while the URL is still valid: an upload is written once. */
    public SignedRequest presignPut(String key, String contentType, long size, Optional<String> sha256, Duration expiry) {
        return signed(presigner.presignPutObject(p -> p.signatureDuration(expiry).putObjectRequest(put -> put
                .bucket(bucket).key(key).contentType(contentType).contentLength(size).checksumSHA256(sha256.orElse(null))
                .ifNoneMatch("*"))));
    }

    public String startMultipart(String key, String contentType) {
        return s3.createMultipartUpload(r -> r.bucket(bucket).key(key).contentType(contentType)).uploadId();
    }

    public SignedRequest presignPart(String key, String multipartUploadId, int partNumber, long partLength, Duration expiry) {
        return signed(presigner.presignUploadPart(p -> p.signatureDuration(expiry).uploadPartRequest(part -> part
                .bucket(bucket).key(key).uploadId(multipartUploadId).partNumber(partNumber).contentLength(partLength))));
    }

    /** The parts S3 holds, or empty when the multipart upload is no longer open (completed or aborted). */
    public Optional<List<UploadedPart>> listParts(String key, String multipartUploadId) {
        List<UploadedPart> parts = new ArrayList<>();
        try {
            s3.listPartsPaginator(r -> r.bucket(bucket).key(key).uploadId(multipartUploadId)).parts()
                    .forEach(part -> parts.add(new UploadedPart(part.partNumber(), part.size(), part.eTag())));
        } catch (NoSuchUploadException e) {
            return Optional.empty();
        }
        return Optional.of(parts);
    }

    public void completeMultipart(String key, String multipartUploadId, List<UploadedPart> parts) {
        List<CompletedPart> completed = parts.stream()
                .map(part -> CompletedPart.builder().partNumber(part.partNumber()).eTag(part.etag()).build())
                .toList();
        s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(multipartUploadId).ifNoneMatch("*")
                .multipartUpload(m -> m.parts(completed))
                .overrideConfiguration(o -> o.apiCallTimeout(COMPLETE_WITHIN).apiCallAttemptTimeout(COMPLETE_WITHIN)));
    }

    /** Aborting twice is fine: the second finds no upload, which is the state we want. */
    public void abortMultipart(String key, String multipartUploadId) {
        try {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(multipartUploadId));
        } catch (NoSuchUploadException e) {
            // already aborted or completed
        }
    }

    public void delete(String key) {
        s3.deleteObject(r -> r.bucket(bucket).key(key));
    }

    private static SignedRequest signed(PresignedRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        // Host follows from the URL; every other signed header must be sent exactly as signed.
        request.signedHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                headers.put(name, String.join(",", values));
            }
        });
        return new SignedRequest(request.url().toString(), headers, request.expiration().toString());
    }
}
