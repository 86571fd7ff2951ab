package com.supportress.emulator;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Integration tier: moto as installed and the launcher's moto (both started here) given the same S3 requests.
 * S3 verifies a declared checksum and refuses a mismatch, keeps and returns checksums of objects and parts, and
 * computes the checksums of what it copies; moto as installed does none of it (moto-upstream/s3_*.py).
 */
@Tag("emulator")
class S3ChecksumIT {

    private static final byte[] BODY = "bytes as the client sent them".getBytes(StandardCharsets.UTF_8);
    /** The smallest part S3 takes before the last one. */
    private static final byte[] FIRST_PART = "a".repeat(5 * 1024 * 1024).getBytes(StandardCharsets.UTF_8);
    private static final byte[] LAST_PART = "the last part".getBytes(StandardCharsets.UTF_8);

    @RegisterExtension
    static final MotoPair moto = new MotoPair();

    private static S3Client plain;
    private static S3Client launched;

    @BeforeAll
    static void clients() {
        plain = moto.s3(moto.plain);
        launched = moto.s3(moto.launched);
    }

    @Test
    void putWithAWrongSha256IsStoredByPlainMotoAndRefusedWithBadDigestByTheLaunchedOne() {
        String plainBucket = bucket(plain);
        plain.putObject(r -> r.bucket(plainBucket).key("wrong").checksumSHA256(sha256(LAST_PART)), RequestBody.fromBytes(BODY));
        assertEquals(BODY.length, plain.headObject(r -> r.bucket(plainBucket).key("wrong")).contentLength());

        String bucket = bucket(launched);
        S3Exception refused = assertThrows(S3Exception.class, () ->
                launched.putObject(r -> r.bucket(bucket).key("wrong").checksumSHA256(sha256(LAST_PART)), RequestBody.fromBytes(BODY)));
        assertEquals(400, refused.statusCode());
        assertEquals("BadDigest", refused.awsErrorDetails().errorCode());
        assertThrows(NoSuchKeyException.class, () -> launched.headObject(r -> r.bucket(bucket).key("wrong")), "nothing is stored");
    }

    @Test
    void launchedMotoRefusesAChecksumThatIsNoSha256WithInvalidRequest() {
        String bucket = bucket(launched);
        S3Exception refused = assertThrows(S3Exception.class, () ->
                launched.putObject(r -> r.bucket(bucket).key("malformed").checksumSHA256("not-a-sha256"), RequestBody.fromBytes(BODY)));

        assertEquals(400, refused.statusCode());
        assertEquals("InvalidRequest", refused.awsErrorDetails().errorCode());
    }

    @Test
    void launchedMotoReturnsTheVerifiedChecksumOfAPutInChecksumModeAndPlainMotoNone() {
        String plainBucket = bucket(plain);
        plain.putObject(r -> r.bucket(plainBucket).key("object").checksumSHA256(sha256(BODY)), RequestBody.fromBytes(BODY));
        assertNull(plain.headObject(r -> r.bucket(plainBucket).key("object").checksumMode(ChecksumMode.ENABLED)).checksumSHA256());

        String bucket = bucket(launched);
        launched.putObject(r -> r.bucket(bucket).key("object").checksumSHA256(sha256(BODY)), RequestBody.fromBytes(BODY));
        HeadObjectResponse head = launched.headObject(r -> r.bucket(bucket).key("object").checksumMode(ChecksumMode.ENABLED));
        var get = launched.getObjectAsBytes(r -> r.bucket(bucket).key("object").checksumMode(ChecksumMode.ENABLED)).response();
        var attributes = launched.getObjectAttributes(r -> r.bucket(bucket).key("object").objectAttributes(ObjectAttributes.CHECKSUM));

        assertEquals(List.of(sha256(BODY), ChecksumType.FULL_OBJECT), List.of(head.checksumSHA256(), head.checksumType()));
        assertEquals(List.of(sha256(BODY), ChecksumType.FULL_OBJECT), List.of(get.checksumSHA256(), get.checksumType()));
        assertEquals(List.of(sha256(BODY), ChecksumType.FULL_OBJECT),
                List.of(attributes.checksum().checksumSHA256(), attributes.checksum().checksumType()));
    }

    @Test
    void plainMotoTakesAPartWithAWrongChecksumAndTheLaunchedOneRefusesItWithBadDigest() {
        String plainBucket = bucket(plain);
        String plainUpload = createUpload(plain, plainBucket, "object");
        plain.uploadPart(r -> r.bucket(plainBucket).key("object").uploadId(plainUpload).partNumber(1).checksumSHA256(sha256(BODY)),
                RequestBody.fromBytes(LAST_PART));

        String bucket = bucket(launched);
        String upload = createUpload(launched, bucket, "object");
        S3Exception refused = assertThrows(S3Exception.class, () -> launched.uploadPart(
                r -> r.bucket(bucket).key("object").uploadId(upload).partNumber(1).checksumSHA256(sha256(BODY)), RequestBody.fromBytes(LAST_PART)));
        assertEquals(400, refused.statusCode());
        assertEquals("BadDigest", refused.awsErrorDetails().errorCode());
        assertEquals(List.of(), launched.listParts(r -> r.bucket(bucket).key("object").uploadId(upload)).parts(), "nothing is stored");
    }

    @Test
    void launchedMotoReturnsEachPartChecksumOnUploadPartAndInListPartsAndPlainMotoNone() {
        String plainBucket = bucket(plain);
        String plainUpload = createUpload(plain, plainBucket, "object");
        UploadPartResponse plainPart = uploadPart(plain, plainBucket, "object", plainUpload, 1, LAST_PART);
        assertNull(plainPart.checksumSHA256());
        assertNull(plain.listParts(r -> r.bucket(plainBucket).key("object").uploadId(plainUpload)).parts().getFirst().checksumSHA256());

        String bucket = bucket(launched);
        String upload = createUpload(launched, bucket, "object");
        UploadPartResponse first = uploadPart(launched, bucket, "object", upload, 1, FIRST_PART);
        UploadPartResponse last = uploadPart(launched, bucket, "object", upload, 2, LAST_PART);
        var listed = launched.listParts(r -> r.bucket(bucket).key("object").uploadId(upload));

        assertEquals(List.of(sha256(FIRST_PART), sha256(LAST_PART)), List.of(first.checksumSHA256(), last.checksumSHA256()));
        assertEquals(List.of(sha256(FIRST_PART), sha256(LAST_PART)), listed.parts().stream().map(Part::checksumSHA256).toList());
        assertEquals(List.of(ChecksumAlgorithm.SHA256, ChecksumType.COMPOSITE), List.of(listed.checksumAlgorithm(), listed.checksumType()));
    }

    @Test
    void completionNamingAWrongPartChecksumIsRefusedWithInvalidPartAndTheRightOneGivesTheCompositeChecksum() {
        String plainBucket = bucket(plain);
        String plainUpload = createUpload(plain, plainBucket, "object");
        String plainEtag = uploadPart(plain, plainBucket, "object", plainUpload, 1, LAST_PART).eTag();
        plain.completeMultipartUpload(r -> r.bucket(plainBucket).key("object").uploadId(plainUpload)
                .multipartUpload(m -> m.parts(part(1, plainEtag, sha256(BODY)))));

        String bucket = bucket(launched);
        String upload = createUpload(launched, bucket, "object");
        String firstEtag = uploadPart(launched, bucket, "object", upload, 1, FIRST_PART).eTag();
        String lastEtag = uploadPart(launched, bucket, "object", upload, 2, LAST_PART).eTag();
        S3Exception refused = assertThrows(S3Exception.class, () -> launched.completeMultipartUpload(r -> r.bucket(bucket).key("object")
                .uploadId(upload).multipartUpload(m -> m.parts(part(1, firstEtag, sha256(FIRST_PART)), part(2, lastEtag, sha256(BODY))))));
        assertEquals(400, refused.statusCode());
        assertEquals("InvalidPart", refused.awsErrorDetails().errorCode());

        CompleteMultipartUploadResponse completed = launched.completeMultipartUpload(r -> r.bucket(bucket).key("object").uploadId(upload)
                .multipartUpload(m -> m.parts(part(1, firstEtag, sha256(FIRST_PART)), part(2, lastEtag, sha256(LAST_PART)))));
        HeadObjectResponse head = launched.headObject(r -> r.bucket(bucket).key("object").checksumMode(ChecksumMode.ENABLED));
        var get = launched.getObjectAsBytes(r -> r.bucket(bucket).key("object").checksumMode(ChecksumMode.ENABLED)).response();

        String composite = composite(FIRST_PART, LAST_PART) + "-2";
        assertEquals(List.of(composite, ChecksumType.COMPOSITE), List.of(completed.checksumSHA256(), completed.checksumType()));
        assertEquals(List.of(composite, ChecksumType.COMPOSITE), List.of(head.checksumSHA256(), head.checksumType()));
        assertEquals(List.of(composite, ChecksumType.COMPOSITE), List.of(get.checksumSHA256(), get.checksumType()));
    }

    @Test
    void aCopyOfAMultipartObjectCarriesTheSha256OfItsBytesNotTheSourcesCompositeChecksum() {
        String plainBucket = bucket(plain);
        multipartObject(plain, plainBucket, "source");
        plain.copyObject(r -> r.sourceBucket(plainBucket).sourceKey("source").destinationBucket(plainBucket).destinationKey("copy"));
        assertEquals(composite(FIRST_PART, LAST_PART),
                plain.headObject(r -> r.bucket(plainBucket).key("copy").checksumMode(ChecksumMode.ENABLED)).checksumSHA256(),
                "moto as installed hands the copy the source's composite digest");

        String bucket = bucket(launched);
        multipartObject(launched, bucket, "source");
        var copied = launched.copyObject(r -> r.sourceBucket(bucket).sourceKey("source").destinationBucket(bucket).destinationKey("copy"));
        var copiedWithSha256 = launched.copyObject(r -> r.sourceBucket(bucket).sourceKey("source").destinationBucket(bucket)
                .destinationKey("copy-sha256").checksumAlgorithm(ChecksumAlgorithm.SHA256));
        HeadObjectResponse head = launched.headObject(r -> r.bucket(bucket).key("copy-sha256").checksumMode(ChecksumMode.ENABLED));

        String whole = sha256(concat(FIRST_PART, LAST_PART));
        assertEquals(List.of(whole, ChecksumType.FULL_OBJECT), List.of(copied.copyObjectResult().checksumSHA256(), copied.copyObjectResult().checksumType()));
        assertEquals(whole, copiedWithSha256.copyObjectResult().checksumSHA256());
        assertEquals(List.of(whole, ChecksumType.FULL_OBJECT), List.of(head.checksumSHA256(), head.checksumType()));
    }

    @Test
    void uploadPartCopyReturnsTheSha256OfTheCopiedRangeWhichCompletesTheCopy() {
        String plainBucket = bucket(plain);
        multipartObject(plain, plainBucket, "source");
        String plainUpload = createUpload(plain, plainBucket, "copy");
        assertNull(plain.uploadPartCopy(r -> r.sourceBucket(plainBucket).sourceKey("source").destinationBucket(plainBucket)
                .destinationKey("copy").uploadId(plainUpload).partNumber(1)).copyPartResult().checksumSHA256());

        String bucket = bucket(launched);
        multipartObject(launched, bucket, "source");
        String upload = createUpload(launched, bucket, "copy");
        var first = launched.uploadPartCopy(r -> r.sourceBucket(bucket).sourceKey("source").destinationBucket(bucket).destinationKey("copy")
                .uploadId(upload).partNumber(1).copySourceRange("bytes=0-" + (FIRST_PART.length - 1))).copyPartResult();
        var last = launched.uploadPartCopy(r -> r.sourceBucket(bucket).sourceKey("source").destinationBucket(bucket).destinationKey("copy")
                .uploadId(upload).partNumber(2).copySourceRange("bytes=" + FIRST_PART.length + "-" + (FIRST_PART.length + LAST_PART.length - 1)))
                .copyPartResult();
        List<String> listed = launched.listParts(r -> r.bucket(bucket).key("copy").uploadId(upload)).parts().stream().map(Part::checksumSHA256).toList();
        CompleteMultipartUploadResponse completed = launched.completeMultipartUpload(r -> r.bucket(bucket).key("copy").uploadId(upload)
                .multipartUpload(m -> m.parts(part(1, first.eTag(), first.checksumSHA256()), part(2, last.eTag(), last.checksumSHA256()))));

        assertEquals(List.of(sha256(FIRST_PART), sha256(LAST_PART)), List.of(first.checksumSHA256(), last.checksumSHA256()));
        assertEquals(List.of(sha256(FIRST_PART), sha256(LAST_PART)), listed);
        assertEquals(composite(FIRST_PART, LAST_PART) + "-2", completed.checksumSHA256());
        assertNotEquals(sha256(concat(FIRST_PART, LAST_PART)), completed.checksumSHA256(), "a multipart copy's checksum is composite");
    }

    private static String bucket(S3Client s3) {
        String bucket = "checksums-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(r -> r.bucket(bucket));
        return bucket;
    }

    private static String createUpload(S3Client s3, String bucket, String key) {
        return s3.createMultipartUpload(r -> r.bucket(bucket).key(key).checksumAlgorithm(ChecksumAlgorithm.SHA256)).uploadId();
    }

    private static UploadPartResponse uploadPart(S3Client s3, String bucket, String key, String upload, int number, byte[] bytes) {
        return s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(upload).partNumber(number).checksumSHA256(sha256(bytes)),
                RequestBody.fromBytes(bytes));
    }

    /** An object uploaded in two parts with their SHA-256s, as a browser would: it has a composite checksum. */
    private static void multipartObject(S3Client s3, String bucket, String key) {
        String upload = createUpload(s3, bucket, key);
        String first = uploadPart(s3, bucket, key, upload, 1, FIRST_PART).eTag();
        String last = uploadPart(s3, bucket, key, upload, 2, LAST_PART).eTag();
        s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(upload)
                .multipartUpload(m -> m.parts(part(1, first, sha256(FIRST_PART)), part(2, last, sha256(LAST_PART)))));
    }

    private static CompletedPart part(int number, String etag, String sha256) {
        return CompletedPart.builder().partNumber(number).eTag(etag).checksumSHA256(sha256).build();
    }

    private static String sha256(byte[] bytes) {
        return Base64.getEncoder().encodeToString(digest(bytes));
    }

    /** S3's composite checksum: the SHA-256 of the parts' SHA-256 digests, shown with "-N" for N parts. */
    private static String composite(byte[]... parts) {
        byte[] digests = new byte[0];
        for (byte[] part : parts) {
            digests = concat(digests, digest(part));
        }
        return sha256(digests);
    }

    private static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] joined = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }
}
