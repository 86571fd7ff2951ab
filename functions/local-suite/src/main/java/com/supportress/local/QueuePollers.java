package com.supportress.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.LocalFunction;
import com.supportress.emulator.LocalLambdaContext;
import com.supportress.emulator.SamTemplate;
import com.supportress.emulator.SqsEvents;
import software.amazon.awssdk.services.sqs.model.Message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Stands in for Lambda's SQS event source mappings, which the emulator stores but never runs: one thread
 * per SQS event of template.yaml long-polls its queue, hands each batch to the function's real handler,
 * and deletes the messages the handler did not report as failed (ReportBatchItemFailures), as Lambda does.
 */
final class QueuePollers implements AutoCloseable {

    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    private QueuePollers() {
    }

    @SuppressWarnings("unchecked")
    static QueuePollers start(EmulatedStack stack, LocalFunctions functions) {
        QueuePollers pollers = new QueuePollers();
        SamTemplate template = stack.template();
        for (String logicalId : template.resourcesOfType("AWS::Serverless::Function").keySet()) {
            for (Object event : SamTemplate.mapAt(template.functionProperties(logicalId), "Events").values()) {
                Map<String, Object> definition = (Map<String, Object>) event;
                if (!"SQS".equals(definition.get("Type"))) {
                    continue;
                }
                Map<String, Object> properties = (Map<String, Object>) stack.resolve(SamTemplate.mapAt(definition, "Properties"));
                String queueArn = String.valueOf(properties.get("Queue"));
                String queueUrl = stack.sqs().getQueueUrl(r -> r.queueName(queueArn.substring(queueArn.lastIndexOf(':') + 1))).queueUrl();
                int batchSize = Integer.parseInt(String.valueOf(properties.getOrDefault("BatchSize", 10)));
                LocalFunction function = LocalFunction.named(template, logicalId);
                RequestHandler<Object, Object> handler = functions.handler(function);
                // Functions that budget their work (a resumable copy) get the remaining time Lambda would give them.
                Duration timeout = Duration.ofSeconds(Long.parseLong(String.valueOf(template.functionProperties(logicalId).get("Timeout"))));
                Thread thread = Thread.ofPlatform().daemon().name("sqs-" + logicalId)
                        .start(() -> pollers.poll(stack, queueUrl, Math.min(batchSize, 10), function, timeout, handler));
                pollers.threads.add(thread);
            }
        }
        return pollers;
    }

    private void poll(EmulatedStack stack, String queueUrl, int batchSize, LocalFunction function, Duration timeout,
                      RequestHandler<Object, Object> handler) {
        while (running) {
            try {
                List<Message> messages = stack.sqs().receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(batchSize).waitTimeSeconds(1)).messages();
                if (messages.isEmpty()) {
                    continue;
                }
                Object result = handler.handleRequest(SqsEvents.of(messages), LocalLambdaContext.forFunction(function.logicalId(), timeout));
                Set<String> failed = result instanceof SQSBatchResponse response
                        ? response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).collect(Collectors.toSet())
                        : Set.of();
                for (Message message : messages) {
                    if (!failed.contains(message.messageId())) {
                        stack.sqs().deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
                    }
                }
            } catch (RuntimeException e) {
                if (running) {
                    // A whole-batch failure: Lambda would leave every message for redelivery; so does this.
                    System.err.println(function.logicalId() + ": batch failed: " + e);
                }
            }
        }
    }


    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(5_000);
        }
    }
}
