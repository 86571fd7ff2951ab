package com.supportress.shared.aws;

import java.util.Locale;

/**
 * How the buckets of the second region are named: the custom resource that creates them in AWS and the
 * emulator that creates them locally both use this rule, and functions receive the result via !GetAtt.
 */
public final class SecondaryRegionBuckets {

    public static final String RESOURCE_TYPE = "Custom::SecondaryRegionBuckets";

    private SecondaryRegionBuckets() {
    }

    /** {@code <NamePrefix>-<Name>} in lower case, since S3 bucket names allow no capitals. */
    public static String bucketName(String namePrefix, String name) {
        return (namePrefix + "-" + name).toLowerCase(Locale.ROOT);
    }
}
