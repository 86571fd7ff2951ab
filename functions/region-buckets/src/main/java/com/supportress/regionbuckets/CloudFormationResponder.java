package com.supportress.regionbuckets;

import com.supportress.shared.http.JsonCodec;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Answers CloudFormation: PUTs the response to the request's ResponseURL, a presigned S3 URL. Without an
 * answer the stack waits an hour for the resource, so a failed PUT is thrown: Lambda then retries the
 * invocation, and the buckets' setup is safe to repeat.
 */
@Singleton
public class CloudFormationResponder {

    private final HttpClient http;
    private final JsonCodec json;

    public CloudFormationResponder(JsonCodec json) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        this.json = json;
    }

    public void send(URI responseUrl, CustomResourceResponse response) {
        HttpRequest request = HttpRequest.newBuilder(responseUrl)
                // Connect and answer well within the handler's answer reserve.
                .timeout(Duration.ofSeconds(8))
                // The URL is signed without a content type, so the request must not name one.
                .header("Content-Type", "")
                .PUT(HttpRequest.BodyPublishers.ofString(json.write(response)))
                .build();
        HttpResponse<String> answer;
        try {
            answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot send the response to CloudFormation", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending the response to CloudFormation", e);
        }
        if (answer.statusCode() / 100 != 2) {
            throw new IllegalStateException("CloudFormation's response URL answered " + answer.statusCode());
        }
    }
}
