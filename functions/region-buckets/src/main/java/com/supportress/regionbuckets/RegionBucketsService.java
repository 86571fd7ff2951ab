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
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates the buckets of the second region and brings each to the same protected state as its primary: private
 * (Block Public Access, owner-enforced ownership), encrypted (SSE-S3), versioned, TLS-only, with the primary's
 * Object Lock default retention and lifecycle rules. Every step is a PUT of the desired state, so running it again
 * (an Update, a retried invocation) converges instead of failing. Every call after CreateBucket names the stack's
 * account as the expected owner, so should a bucket name ever belong to another account, S3 refuses instead of
 * configuring (or later storing into) someone else's bucket.
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
                create(s3, request, bucket);
                configure(s3, request.account(), bucket, arn);
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

    /**
     * A plain CreateBucket, so that it needs s3:CreateBucket alone (asking for Object Lock or an ownership setting at
     * creation needs further rights at a moment the bucket has no owner to check); {@link #configure} does the rest.
     */
    private static void create(S3Client s3, RegionBucketsRequest request, BucketSpec bucket) {
        Region region = request.region();
        CreateBucketRequest.Builder create = CreateBucketRequest.builder().bucket(bucket.bucketName());
        if (!region.equals(Region.US_EAST_1)) {
            // us-east-1 is the one region S3 refuses as an explicit location constraint.
            create.createBucketConfiguration(c -> c.locationConstraint(region.id()));
        }
        try {
            s3.createBucket(create.build());
        } catch (BucketAlreadyOwnedByYouException e) {
            // Ours already: a repeated Create or an Update. Its region is fixed for life, so it must be this one.
            String actual = regionOf(s3, request.account(), bucket.bucketName());
            if (!actual.equals(region.id())) {
                throw new IllegalStateException("bucket " + bucket.bucketName() + " already exists in " + actual
                        + ", not in " + region + "; delete it or choose another NamePrefix");
            }
        } catch (BucketAlreadyExistsException e) {
            throw new IllegalStateException("bucket name " + bucket.bucketName()
                    + " is taken by another AWS account; choose another NamePrefix", e);
        }
    }

    /** The bucket's region, from HeadBucket (S3 names it even when answering from another region with a redirect). */
    private static String regionOf(S3Client s3, String account, String bucket) {
        try {
            return s3.headBucket(r -> r.bucket(bucket).expectedBucketOwner(account)).bucketRegion();
        } catch (S3Exception e) {
            return e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region").orElseThrow(() -> e);
        }
    }

    private static void configure(S3Client s3, String account, BucketSpec bucket, String arn) {
        String name = bucket.bucketName();
        s3.putBucketOwnershipControls(r -> r.bucket(name).expectedBucketOwner(account)
                .ownershipControls(o -> o.rules(rule -> rule.objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED))));
        s3.putPublicAccessBlock(r -> r.bucket(name).expectedBucketOwner(account).publicAccessBlockConfiguration(b -> b
                .blockPublicAcls(true).ignorePublicAcls(true).blockPublicPolicy(true).restrictPublicBuckets(true)));
        s3.putBucketEncryption(r -> r.bucket(name).expectedBucketOwner(account).serverSideEncryptionConfiguration(c -> c
                .rules(rule -> rule.applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256)))));
        s3.putBucketVersioning(r -> r.bucket(name).expectedBucketOwner(account)
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        bucket.objectLock().ifPresent(lock ->
                // On a versioned bucket this also switches Object Lock on; it can never be switched off again.
                s3.putObjectLockConfiguration(r -> r.bucket(name).expectedBucketOwner(account).objectLockConfiguration(c -> c
                        .objectLockEnabled(ObjectLockEnabled.ENABLED)
                        .rule(rule -> rule.defaultRetention(d -> d.mode(ObjectLockRetentionMode.fromValue(lock.mode())).days(lock.days()))))));
        if (bucket.lifecycle().isEmpty()) {
            s3.deleteBucketLifecycle(r -> r.bucket(name).expectedBucketOwner(account));
        } else {
            s3.putBucketLifecycleConfiguration(r -> r.bucket(name).expectedBucketOwner(account)
                    .lifecycleConfiguration(c -> c.rules(lifecycleRules(bucket.lifecycle()))));
        }
        s3.putBucketPolicy(r -> r.bucket(name).expectedBucketOwner(account).policy(tlsOnlyPolicy(arn)));
    }

    /** One rule per concern, named as in template.yaml's primary buckets, each over the whole bucket. */
    static List<LifecycleRule> lifecycleRules(RegionBucketsRequest.Lifecycle lifecycle) {
        List<LifecycleRule> rules = new ArrayList<>();
        lifecycle.noncurrentVersionExpirationDays().ifPresent(days -> rules.add(rule("ExpireNoncurrentVersions")
                .noncurrentVersionExpiration(e -> e.noncurrentDays(days)).build()));
        lifecycle.abortIncompleteMultipartUploadDays().ifPresent(days -> rules.add(rule("AbortIncompleteMultipartUploads")
                .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(days)).build()));
        if (lifecycle.expiredObjectDeleteMarker()) {
            rules.add(rule("RemoveExpiredDeleteMarkers").expiration(e -> e.expiredObjectDeleteMarker(true)).build());
        }
        return rules;
    }

    private static LifecycleRule.Builder rule(String id) {
        return LifecycleRule.builder().id(id).status(ExpirationStatus.ENABLED).filter(f -> f.prefix(""));
    }

    /** Denies every request made over plain HTTP, whoever makes it. */
    static String tlsOnlyPolicy(String bucketArn) {
        return """
                {"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*",\
                "Action":"s3:*","Resource":["%1$s","%1$s/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"""
                .formatted(bucketArn);
    }
}
