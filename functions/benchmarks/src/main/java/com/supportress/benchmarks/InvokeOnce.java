package com.supportress.benchmarks;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.supportress.emulator.HandlerTypes;
import com.supportress.emulator.LocalLambdaContext;
import com.supportress.emulator.SampleEvents;

import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The child JVM of one cold-start run, doing what the Lambda runtime does: construct the handler with
 * its no-argument constructor (init), read the event with the runtime's serializer, invoke. It prints
 * a line after the first invocation (the parent times the whole process up to it), then the second
 * (warm) invocation's time and the process's peak RSS.
 */
public final class InvokeOnce {

    private InvokeOnce() {
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        Class<?> handlerClass = Class.forName(args[0]);
        Path eventFile = Path.of(args[1]);
        RequestHandler<Object, Object> handler = (RequestHandler<Object, Object>) handlerClass.getConstructor().newInstance();
        Type inputType = HandlerTypes.inputType(handlerClass);

        handler.handleRequest(SampleEvents.load(eventFile, inputType), LocalLambdaContext.forFunction(handlerClass.getSimpleName()));
        System.out.println("FIRST_INVOCATION_DONE");

        Object event = SampleEvents.load(eventFile, inputType);
        long start = System.nanoTime();
        handler.handleRequest(event, LocalLambdaContext.forFunction(handlerClass.getSimpleName()));
        System.out.println("WARM_NANOS " + (System.nanoTime() - start));
        System.out.println("PEAK_RSS_KB " + peakRssKb());
        System.exit(0);
    }

    /** VmHWM: the most resident memory this process has had. */
    private static long peakRssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }
}
