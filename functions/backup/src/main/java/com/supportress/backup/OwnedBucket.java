package com.supportress.backup;

import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One bucket and the client of its region, every call naming the account expected to own it
 * (ExpectedBucketOwner): a bucket deleted and re-created by someone else under the same name is refused
 * rather than read or written.
 */
record OwnedBucket(S3Client s3, String name, String owner) {

    /** Every key under a prefix with its size and ETag. */
    List<S3Object> list(String prefix) {
        List<S3Object> objects = new ArrayList<>();
        s3.listObjectsV2Paginator(r -> r.bucket(name).prefix(prefix).expectedBucketOwner(owner)).contents().forEach(objects::add);
        return objects;
    }

    ResponseBytes<GetObjectResponse> get(String key) {
        return s3.getObjectAsBytes(r -> r.bucket(name).key(key).expectedBucketOwner(owner));
    }

    InputStream open(String key) {
        return s3.getObject(r -> r.bucket(name).key(key).expectedBucketOwner(owner));
    }

    /** The object's size and the checksums S3 stored with it, or empty when it is absent. */
    Optional<HeadObjectResponse> head(String key) {
        try {
            return Optional.of(s3.headObject(r -> r.bucket(name).key(key).checksumMode(ChecksumMode.ENABLED).expectedBucketOwner(owner)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            // HEAD answers a bare 404, which the SDK does not always map to NoSuchKey.
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Writes a JSON document under a condition (If-Match, If-None-Match); its new ETag. */
    String putJson(String key, byte[] body, Consumer<PutObjectRequest.Builder> condition) {
        return s3.putObject(r -> {
            r.bucket(name).key(key).contentType("application/json").expectedBucketOwner(owner);
            condition.accept(r);
        }, RequestBody.fromBytes(body)).eTag();
    }
}
