package com.supportress.regionbuckets;

import com.supportress.shared.aws.SecondaryRegionBuckets;
import software.amazon.awssdk.regions.Region;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The properties of a Custom::SecondaryRegionBuckets resource, validated: the buckets to create in
 * {@code region}, named by the shared rule, each with the Object Lock and lifecycle of its primary bucket.
 * CloudFormation hands every property over as a string. {@code account} is the stack's: every bucket must
 * belong to it, and every call after CreateBucket says so ({@code ExpectedBucketOwner}).
 */
public record RegionBucketsRequest(String partition, String account, Region region, String namePrefix, List<BucketSpec> buckets) {

    /**
     * One bucket: {@code name} is the attribute functions read with !GetAtt, {@code bucketName} the S3 name; its
     * default Object Lock retention, if any, and its lifecycle rules.
     */
    public record BucketSpec(String name, String bucketName, Optional<ObjectLock> objectLock, Lifecycle lifecycle) {
    }

    /** Default retention of every new object version: {@code GOVERNANCE} or {@code COMPLIANCE}, for {@code days}. */
    public record ObjectLock(String mode, int days) {
    }

    /** Lifecycle rules; none of them (an empty lifecycle) means the bucket has no lifecycle configuration. */
    public record Lifecycle(OptionalInt noncurrentVersionExpirationDays, OptionalInt abortIncompleteMultipartUploadDays,
                            boolean expiredObjectDeleteMarker) {
        public boolean isEmpty() {
            return noncurrentVersionExpirationDays.isEmpty() && abortIncompleteMultipartUploadDays.isEmpty() && !expiredObjectDeleteMarker;
        }
    }

    /** Keeps the answer's Data (two attributes per bucket) well under CloudFormation's 4 KiB response limit. */
    static final int MAX_BUCKETS = 10;
    /** S3 caps default retention at 100 years; lifecycle days are held to the same bound. */
    static final int MAX_RETENTION_DAYS = 36_500;

    private static final Pattern STACK_ARN = Pattern.compile("^arn:(aws[a-z-]*):cloudformation:([a-z0-9-]+):(\\d{12}):stack/.+$");
    private static final List<String> LOCK_MODES = List.of("GOVERNANCE", "COMPLIANCE");
    private static final Pattern REGION = Pattern.compile("^[a-z]{2}(-[a-z]+)+-\\d{1,2}$");
    // An attribute name for !GetAtt, and part of the bucket name.
    private static final Pattern NAME = Pattern.compile("^[A-Za-z][A-Za-z0-9]*$");
    // Lower-case letters, digits and hyphens only: no dots, which break TLS certificates of virtual-hosted URLs.
    private static final Pattern BUCKET_NAME = Pattern.compile("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$");
    private static final List<String> RESERVED_PREFIXES = List.of("xn--", "sthree-", "amzn-s3-demo-");
    private static final List<String> RESERVED_SUFFIXES = List.of("-s3alias", "--ol-s3", "--x-s3", "--table-s3");

    public RegionBucketsRequest {
        buckets = List.copyOf(buckets);
    }

    /**
     * Reads the resource properties of a Create or Update request of the stack {@code stackId}.
     *
     * @throws InvalidPropertiesException naming every problem found
     */
    public static RegionBucketsRequest from(String stackId, Map<String, Object> properties) {
        List<String> problems = new ArrayList<>();
        var stack = STACK_ARN.matcher(stackId == null ? "" : stackId);
        if (!stack.matches()) {
            throw new InvalidPropertiesException(List.of("StackId is not a CloudFormation stack ARN: " + stackId));
        }
        Map<String, Object> given = properties == null ? Map.of() : properties;
        String stackRegion = stack.group(2);

        String region = text(given.get("Region"));
        if (region.isEmpty()) {
            problems.add("Region is missing");
        } else if (!REGION.matcher(region).matches()) {
            problems.add("Region '" + region + "' is not a region name such as us-west-2");
        } else if (region.equals(stackRegion)) {
            problems.add("Region " + region + " is the stack's own region; the second region must differ");
        }

        String namePrefix = text(given.get("NamePrefix"));
        if (namePrefix.isEmpty()) {
            problems.add("NamePrefix is missing");
        } else if (!namePrefix.equals(namePrefix.toLowerCase(Locale.ROOT))) {
            // The function's IAM policy matches bucket ARNs by the prefix as written, and bucket names are lower case.
            problems.add("NamePrefix '" + namePrefix + "' must be lower case (deploy under a lower-case stack name)");
        }

        List<BucketSpec> buckets = new ArrayList<>();
        Object listed = given.get("Buckets");
        if (!(listed instanceof List<?> entries) || entries.isEmpty()) {
            problems.add("Buckets is missing or empty");
        } else if (entries.size() > MAX_BUCKETS) {
            problems.add("Buckets lists " + entries.size() + " buckets; at most " + MAX_BUCKETS + " per resource");
        } else {
            Set<String> attributes = new HashSet<>();
            for (int i = 0; i < entries.size(); i++) {
                bucket(i, entries.get(i), namePrefix, attributes, problems).ifPresent(buckets::add);
            }
        }

        if (!problems.isEmpty()) {
            throw new InvalidPropertiesException(problems);
        }
        return new RegionBucketsRequest(stack.group(1), stack.group(3), Region.of(region), namePrefix, buckets);
    }

    /** Stable for the same region and prefix; a new value tells CloudFormation the resource was replaced. */
    public String physicalResourceId() {
        return region.id() + "/" + namePrefix;
    }

    public String arn(BucketSpec bucket) {
        return "arn:" + partition + ":s3:::" + bucket.bucketName();
    }

    private static Optional<BucketSpec> bucket(int index, Object entry, String namePrefix, Set<String> attributes, List<String> problems) {
        String at = "Buckets[" + index + "]";
        if (!(entry instanceof Map<?, ?> bucket)) {
            problems.add(at + " must be an object with Name and optional Object Lock and lifecycle settings");
            return Optional.empty();
        }
        int before = problems.size();
        String name = text(bucket.get("Name"));
        String bucketName = SecondaryRegionBuckets.bucketName(namePrefix, name);
        if (!NAME.matcher(name).matches()) {
            problems.add(at + ".Name '" + name + "' must be letters and digits, starting with a letter");
        } else if (!attributes.add(name.toLowerCase(Locale.ROOT)) || !attributes.add(name.toLowerCase(Locale.ROOT) + "arn")) {
            // Case-insensitive: bucket names are lower case, and <Name>Arn must not clash with another Name.
            problems.add(at + ".Name '" + name + "' is used twice or clashes with another bucket's Arn attribute");
        } else if (!namePrefix.isEmpty() && !validBucketName(bucketName)) {
            problems.add(at + ": bucket name '" + bucketName + "' is not a valid S3 bucket name"
                    + " (3 to 63 lower-case letters, digits and hyphens, no reserved prefix or suffix)");
        }
        Optional<ObjectLock> lock = objectLock(bucket, at, problems);
        Lifecycle lifecycle = new Lifecycle(
                days(bucket, "NoncurrentVersionExpirationDays", at, problems),
                days(bucket, "AbortIncompleteMultipartUploadDays", at, problems),
                flag(bucket, "ExpiredObjectDeleteMarker", at, problems));
        if (lock.isPresent() && lifecycle.noncurrentVersionExpirationDays().isPresent()
                && lifecycle.noncurrentVersionExpirationDays().getAsInt() < lock.get().days()) {
            // Lifecycle cannot remove a locked version anyway; a shorter expiry says someone expected it to.
            problems.add(at + ".NoncurrentVersionExpirationDays must be at least ObjectLockDays, so pruned versions outlive their lock");
        }
        return problems.size() == before ? Optional.of(new BucketSpec(name, bucketName, lock, lifecycle)) : Optional.empty();
    }

    private static Optional<ObjectLock> objectLock(Map<?, ?> bucket, String at, List<String> problems) {
        String mode = text(bucket.get("ObjectLockMode"));
        boolean daysGiven = !text(bucket.get("ObjectLockDays")).isEmpty();
        OptionalInt days = days(bucket, "ObjectLockDays", at, problems);
        if (mode.isEmpty() && !daysGiven) {
            return Optional.empty();
        }
        if (!LOCK_MODES.contains(mode)) {
            problems.add(at + ".ObjectLockMode '" + mode + "' must be GOVERNANCE or COMPLIANCE (with ObjectLockDays)");
        } else if (!daysGiven) {
            problems.add(at + ".ObjectLockDays is missing: ObjectLockMode needs it");
        }
        return days.isPresent() && LOCK_MODES.contains(mode) ? Optional.of(new ObjectLock(mode, days.getAsInt())) : Optional.empty();
    }

    /** A whole number of days from 1 to {@link #MAX_RETENTION_DAYS}, when given. */
    private static OptionalInt days(Map<?, ?> bucket, String property, String at, List<String> problems) {
        String given = text(bucket.get(property));
        if (given.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            int days = Integer.parseInt(given);
            if (days >= 1 && days <= MAX_RETENTION_DAYS) {
                return OptionalInt.of(days);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(at + "." + property + " '" + given + "' must be a whole number from 1 to " + MAX_RETENTION_DAYS);
        return OptionalInt.empty();
    }

    private static boolean flag(Map<?, ?> bucket, String property, String at, List<String> problems) {
        String given = text(bucket.get(property));
        if (!given.isEmpty() && !given.equals("true") && !given.equals("false")) {
            problems.add(at + "." + property + " '" + given + "' must be true or false");
        }
        return given.equals("true");
    }

    static boolean validBucketName(String name) {
        return BUCKET_NAME.matcher(name).matches()
                && RESERVED_PREFIXES.stream().noneMatch(name::startsWith)
                && RESERVED_SUFFIXES.stream().noneMatch(name::endsWith);
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString().trim();
    }
}
