package com.supportress.upload.ingest;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.util.Optional;

/** An object's metadata, or empty when it is gone (HEAD answers a bare 404, which the SDK may not map to NoSuchKey). */
final class S3Objects {

    private S3Objects() {
    }

    static Optional<HeadObjectResponse> head(S3Client s3, HeadObjectRequest request) {
        try {
            return Optional.of(s3.headObject(request));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
