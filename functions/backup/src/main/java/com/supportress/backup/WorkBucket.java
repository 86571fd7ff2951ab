package com.supportress.backup;

import io.micronaut.json.JsonMapper;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * The backup functions' working bucket in the stack's region, without Object Lock and with expiring
 * prefixes: {@code exports/<runId>/<table>/} where DynamoDB writes its export, {@code state/<runId>.json}
 * the checkpoint of a run, {@code proofs/<proofId>.json} the progress of a weekly proof and
 * {@code status/<table>.json} when each table last had a backup verified in both regions.
 * Documents are replaced only if unchanged since read (If-Match on the ETag), so two finishers can never
 * both believe they own a run.
 */
public final class WorkBucket {

    private final OwnedBucket bucket;
    private final JsonMapper json;

    public WorkBucket(S3Client s3, String bucket, String owner, JsonMapper json) {
        this.bucket = new OwnedBucket(s3, bucket, owner);
        this.json = json;
    }

    public String bucket() {
        return bucket.name();
    }

    S3Client s3() {
        return bucket.s3();
    }

    static String exportPrefix(String runId, String table) {
        return "exports/" + runId + "/" + table;
    }

    static String stateKey(String runId) {
        return "state/" + runId + ".json";
    }

    static String proofKey(String proofId) {
        return "proofs/" + proofId + ".json";
    }

    static String statusKey(String table) {
        return "status/" + table + ".json";
    }

    /** A document with the ETag it was read with, to replace it only if nobody else did meanwhile. */
    public record Versioned<T>(T value, String etag) {
    }

    /** Someone else replaced or created the document since it was read: this writer no longer owns it. */
    static final class ConcurrentUpdateException extends RuntimeException {
        ConcurrentUpdateException(String key) {
            super(key + " was changed by another invocation");
        }
    }

    <T> Optional<Versioned<T>> read(String key, Class<T> type) {
        try {
            ResponseBytes<GetObjectResponse> bytes = bucket.get(key);
            return Optional.of(new Versioned<>(json.readValue(bytes.asByteArray(), type), bytes.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + key + " in " + bucket.name(), e);
        }
    }

    /** Creates the document; throws ConcurrentUpdateException when it exists already. Returns the new ETag. */
    String create(String key, Object value) {
        return put(key, value, r -> r.ifNoneMatch("*"));
    }

    /** Replaces the document read with {@code etag}; throws ConcurrentUpdateException when it changed since. */
    String replace(String key, Object value, String etag) {
        return put(key, value, r -> r.ifMatch(etag));
    }

    private String put(String key, Object value, java.util.function.Consumer<PutObjectRequest.Builder> condition) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise " + key, e);
        }
        try {
            return bucket.putJson(key, body, condition);
        } catch (S3Exception e) {
            // 412: the condition failed; 409: a concurrent conditional write to the same key won.
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                throw new ConcurrentUpdateException(key);
            }
            throw e;
        }
    }

    /** Keys under a prefix, in name order (for run ids: oldest first). */
    List<String> keys(String prefix) {
        return list(prefix).stream().map(S3Object::key).toList();
    }

    List<S3Object> list(String prefix) {
        return bucket.list(prefix);
    }

    byte[] bytes(String key) {
        return bucket.get(key).asByteArray();
    }
}
