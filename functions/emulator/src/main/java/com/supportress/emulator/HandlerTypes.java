package com.supportress.emulator;

import com.amazonaws.services.lambda.runtime.RequestHandler;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

/** What the Lambda runtime learns from a handler class before invoking it: the event type it takes. */
public final class HandlerTypes {

    private HandlerTypes() {
    }

    /** The first type argument of the RequestHandler the class implements, directly or through a superclass. */
    public static Class<?> inputType(Class<?> handlerClass) {
        for (Class<?> type = handlerClass; type != null; type = type.getSuperclass()) {
            List<Type> candidates = new ArrayList<>(List.of(type.getGenericInterfaces()));
            candidates.add(type.getGenericSuperclass());
            for (Type candidate : candidates) {
                if (candidate instanceof ParameterizedType parameterized
                        && RequestHandler.class.isAssignableFrom((Class<?>) parameterized.getRawType())) {
                    Type input = parameterized.getActualTypeArguments()[0];
                    if (input instanceof Class<?> plain) {
                        return plain;
                    }
                    if (input instanceof ParameterizedType generic) {
                        return (Class<?>) generic.getRawType();
                    }
                }
            }
        }
        throw new IllegalArgumentException(handlerClass.getName() + " is not a RequestHandler with a concrete input type");
    }
}
