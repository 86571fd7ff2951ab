package com.supportress.upload.ingest;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Refuses to send a request to the second region's bucket that does not name the bucket owner it expects
 * ({@code x-amz-expected-bucket-owner}), and a copy that does not name the source bucket's owner too. S3 then
 * refuses any call that would reach a bucket of another account (a name taken over after a deletion, a typo);
 * this guard makes forgetting the parameter in new code a failure instead of a silent gap.
 */
final class ExpectedOwnerGuard implements ExecutionInterceptor {

    private final String owner;

    ExpectedOwnerGuard(String owner) {
        this.owner = owner;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        String operation = request.getClass().getSimpleName();
        if (!owner.equals(field(request, "ExpectedBucketOwner"))) {
            throw new IllegalStateException(operation + " to the replica bucket must name its expected owner " + owner);
        }
        boolean copy = request.sdkFields().stream().anyMatch(f -> f.memberName().equals("ExpectedSourceBucketOwner"));
        if (copy && !owner.equals(field(request, "ExpectedSourceBucketOwner"))) {
            throw new IllegalStateException(operation + " to the replica bucket must name the source bucket's expected owner " + owner);
        }
    }

    private static String field(SdkRequest request, String name) {
        return request.getValueForField(name, String.class).orElse(null);
    }
}
