package com.supportress.emulator;

import com.amazonaws.services.lambda.runtime.CustomPojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * The serializer the Lambda Java runtime uses for a handler's input or output type, chosen as its runtime interface
 * client chooses (EventHandlerLoader.getSerializer) from aws-lambda-java-serialization: a {@link CustomPojoSerializer}
 * the function ships as a service, if any; for the event classes the library knows (SQSEvent, ScheduledEvent,
 * CloudFormationCustomResourceEvent, ...) their serializer with its mix-ins; for every other type, events library
 * classes it does not know included (APIGatewayV2HTTPEvent), records, POJOs, Map and String, the runtime's own
 * shaded Jackson, which ignores this project's Jackson annotations. Left out: the Gson path taken only for
 * invocations from the Android mobile SDK.
 */
public final class RuntimeSerializers {

    private RuntimeSerializers() {
    }

    /** Reads an invocation payload as the runtime would before calling the handler; throws where the runtime fails the invocation. */
    public static Object read(byte[] payload, Type type) {
        return serializerFor(type).fromJson(new ByteArrayInputStream(payload));
    }

    /** The JSON the runtime returns for a handler's result ({@code null} for a void handler). */
    public static String write(Object result, Type type) {
        if (type == void.class || type == Void.class) {
            return "null";
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializerFor(type).toJson(result, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static PojoSerializer<Object> serializerFor(Type type) {
        ClassLoader loader = RuntimeSerializers.class.getClassLoader();
        Iterator<CustomPojoSerializer> custom = ServiceLoader.load(CustomPojoSerializer.class, loader).iterator();
        if (custom.hasNext()) {
            CustomPojoSerializer serializer = custom.next();
            if (custom.hasNext()) {
                throw new IllegalStateException("more than one CustomPojoSerializer service: the runtime refuses to start");
            }
            return new ThroughCustomSerializer(serializer, type);
        }
        if (type instanceof Class<?> eventClass && LambdaEventSerializers.isLambdaSupportedEvent(eventClass.getName())) {
            return (PojoSerializer) LambdaEventSerializers.serializerFor(eventClass, loader);
        }
        return JacksonFactory.getInstance().getSerializer(type);
    }

    private record ThroughCustomSerializer(CustomPojoSerializer serializer, Type type) implements PojoSerializer<Object> {
        @Override
        public Object fromJson(InputStream input) {
            return serializer.fromJson(input, type);
        }

        @Override
        public Object fromJson(String input) {
            return serializer.fromJson(input, type);
        }

        @Override
        public void toJson(Object value, OutputStream output) {
            serializer.toJson(value, output, type);
        }
    }
}
