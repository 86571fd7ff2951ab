package com.supportress.emulator;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import software.amazon.awssdk.services.sqs.model.Message;

import java.util.List;

/** Messages received from a queue, as Lambda's SQS event source hands them to a function. */
public final class SqsEvents {

    private SqsEvents() {
    }

    public static SQSEvent of(List<Message> messages) {
        SQSEvent event = new SQSEvent();
        event.setRecords(messages.stream().map(message -> {
            SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
            record.setMessageId(message.messageId());
            record.setReceiptHandle(message.receiptHandle());
            record.setBody(message.body());
            record.setEventSource("aws:sqs");
            return record;
        }).toList());
        return event;
    }
}
