package com.supportress.regionbuckets;

import com.supportress.regionbuckets.RegionBucketsRequest.BucketSpec;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Creates the buckets of the second region and brings each to the same protected state: private (Block
 * Public Access, owner-enforced ownership), encrypted (SSE-S3), versioned, TLS-only, and under Object Lock
 * in governance mode when asked. Every step is a PUT of the desired state, so running it again (an Update,
 * a retried invocation) converges instead of failing.
 */
@Singleton
public class RegionBucketsService {

    private static final Logger LOG = LoggerFactory.getLogger(RegionBucketsService.class);

    private final RegionalS3Clients s3Clients;

    public RegionBucketsService(RegionalS3Clients s3Clients) {
        this.s3Clients = s3Clients;
    }

    /** Creates or reconfigures every bucket; returns the resource's attributes: Name -> bucket name, NameArn -> ARN. */
    public Map<String, String> createOrUpdate(RegionBucketsRequest request) {
        S3Client s3 = s3Clients.in(request.region());
        Map<String, String> attributes = new LinkedHashMap<>();
        for (BucketSpec bucket : request.buckets()) {
            String arn = request.arn(bucket);
            try {
                create(s3, request.region(), bucket);
                configure(s3, bucket, arn);
            } catch (S3Exception e) {
                throw new IllegalStateException("bucket " + bucket.bucketName() + " in " + request.region() + ": "
                        + e.awsErrorDetails().errorCode() + " " + e.awsErrorDetails().errorMessage(), e);
            }
            LOG.info("bucket {} ready in {}", bucket.bucketName(), request.region());
            attributes.put(bucket.name(), bucket.bucketName());
            attributes.put(bucket.name() + "Arn", arn);
        }
        return attributes;
    }

    private static void create(S3Client s3, Region region, BucketSpec bucket) {
        CreateBucketRequest.Builder create = CreateBucketRequest.builder()
                .bucket(bucket.bucketName())
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                // Object Lock can only be switched on with versioning; at creation it needs no further call.
                .objectLockEnabledForBucket(bucket.objectLockGovernanceDays().isPresent());
        if (!region.equals(Region.US_EAST_1)) {
            // us-east-1 is the one region S3 refuses as an explicit location constraint.
            create.createBucketConfiguration(c -> c.locationConstraint(region.id()));
        }
        try {
            s3.createBucket(create.build());
        } catch (BucketAlreadyOwnedByYouException e) {
            // Ours already: a repeated Create or an Update. Its region is fixed for life, so it must be this one.
            String location = s3.getBucketLocation(r -> r.bucket(bucket.bucketName())).locationConstraintAsString();
            String actual = location == null || location.isEmpty() ? Region.US_EAST_1.id() : location.equals("EU") ? "eu-west-1" : location;
            if (!actual.equals(region.id())) {
                throw new IllegalStateException("bucket " + bucket.bucketName() + " already exists in " + actual
                        + ", not in " + region + "; delete it or choose another NamePrefix");
            }
        } catch (BucketAlreadyExistsException e) {
            throw new IllegalStateException("bucket name " + bucket.bucketName()
                    + " is taken by another AWS account; choose another NamePrefix", e);
        }
    }

    private static void configure(S3Client s3, BucketSpec bucket, String arn) {
        String name = bucket.bucketName();
        // New buckets get these two by default; an existing bucket may predate that default.
        s3.putBucketOwnershipControls(r -> r.bucket(name)
                .ownershipControls(o -> o.rules(rule -> rule.objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED))));
        s3.putPublicAccessBlock(r -> r.bucket(name).publicAccessBlockConfiguration(b -> b
                .blockPublicAcls(true).ignorePublicAcls(true).blockPublicPolicy(true).restrictPublicBuckets(true)));
        s3.putBucketEncryption(r -> r.bucket(name).serverSideEncryptionConfiguration(c -> c
                .rules(rule -> rule.applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256)))));
        s3.putBucketVersioning(r -> r.bucket(name).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        bucket.objectLockGovernanceDays().ifPresent(days ->
                // Also turns Object Lock on for a versioned bucket created without it. Governance, not compliance:
                // an administrator with s3:BypassGovernanceRetention can still repair a mistake.
                s3.putObjectLockConfiguration(r -> r.bucket(name).objectLockConfiguration(c -> c
                        .objectLockEnabled(ObjectLockEnabled.ENABLED)
                        .rule(rule -> rule.defaultRetention(d -> d.mode(ObjectLockRetentionMode.GOVERNANCE).days(days))))));
        s3.putBucketPolicy(r -> r.bucket(name).policy(tlsOnlyPolicy(arn)));
    }

    /** Denies every request made over plain HTTP, whoever makes it. */
    static String tlsOnlyPolicy(String bucketArn) {
        return """
                {"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*",\
                "Action":"s3:*","Resource":["%1$s","%1$s/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"""
                .formatted(bucketArn);
    }
}
