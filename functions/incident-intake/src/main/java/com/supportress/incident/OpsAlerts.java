package com.supportress.incident;

import com.supportress.shared.aws.AwsSettings;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Publishes to the ops topic (OpsAlertsTopic, env {@code OPS_TOPIC_ARN}): what a person must act on now, one message
 * per case, to the same subscribers every CloudWatch alarm reaches. The topic is encrypted with its customer-managed
 * key; the publishing function's role holds kms:GenerateDataKey and kms:Decrypt on it.
 */
@Singleton
public class OpsAlerts {

    // SNS subjects: ASCII, no line breaks, at most 100 characters.
    private static final int SUBJECT_MAX = 100;

    private final SnsClient sns;
    private final ResponseConfig config;

    public OpsAlerts(SnsClient sns, ResponseConfig config) {
        this.sns = sns;
        this.config = config;
    }

    public void publish(String subject, String message) {
        String topic = config.opsTopicArn().orElseThrow(() -> new IllegalStateException("OPS_TOPIC_ARN is not set"));
        String oneLine = subject.replaceAll("[^\\x20-\\x7e]", " ");
        sns.publish(r -> r.topicArn(topic).subject(oneLine.substring(0, Math.min(SUBJECT_MAX, oneLine.length()))).message(message));
    }

    @Factory
    static class Beans {
        @Singleton
        SnsClient sns(AwsSettings settings, SdkHttpClient httpClient) {
            return settings.build(SnsClient.builder(), httpClient);
        }
    }
}
