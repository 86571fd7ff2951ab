package com.supportress.emulator;

import com.amazonaws.services.lambda.runtime.RequestHandler;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What the Lambda Java runtime learns from a handler class before invoking it: the input and output types of the
 * {@link RequestHandler} it implements. Found as the runtime interface client finds them (EventHandlerLoader's
 * findInterfaceParameters): breadth-first through the class's interfaces and superclasses, with the type variables
 * of generic bases (such as FunctionHandler&lt;I, O&gt;) resolved from the subclasses that bind them. A type the
 * search leaves unresolved fails here as the runtime fails the function's init.
 */
public final class HandlerTypes {

    /** The handler's declared input and output, possibly generic (a {@code Map<String, Object>} stays one). */
    public record Signature(Type input, Type output) {
    }

    private HandlerTypes() {
    }

    public static Type inputType(Class<?> handlerClass) {
        return signature(handlerClass).input();
    }

    public static Signature signature(Class<?> handlerClass) {
        if (!RequestHandler.class.isAssignableFrom(handlerClass)) {
            throw new IllegalArgumentException(handlerClass.getName() + " is not a RequestHandler; the runtime would refuse it"
                    + " (stream handlers are not emulated here: no function of this project is one)");
        }
        Type[] arguments = requestHandlerArguments(handlerClass);
        for (Type argument : arguments) {
            if (argument instanceof TypeVariable<?>) {
                throw new IllegalArgumentException(handlerClass.getName()
                        + " does not implement RequestHandler with concrete type parameters: " + argument + " is unresolved");
            }
        }
        return new Signature(arguments[0], arguments[1]);
    }

    /** One class or parameterized type on the search, with the type arguments its subclass gave it (null when raw). */
    private record Visit(Class<?> type, Type[] arguments) {

        static Visit of(Type type, Visit from) {
            if (type instanceof ParameterizedType parameterized) {
                Type[] arguments = parameterized.getActualTypeArguments().clone();
                for (int i = 0; i < arguments.length; i++) {
                    if (arguments[i] instanceof TypeVariable<?> variable) {
                        arguments[i] = from.resolve(variable);
                    }
                }
                return new Visit((Class<?>) parameterized.getRawType(), arguments);
            }
            Class<?> plain = (Class<?>) type;
            if (plain.getTypeParameters().length == 0 || from.arguments() == null) {
                return new Visit(plain, null);
            }
            Type[] arguments = new Type[plain.getTypeParameters().length];
            for (int i = 0; i < arguments.length; i++) {
                arguments[i] = from.resolve(plain.getTypeParameters()[i]);
            }
            return new Visit(plain, arguments);
        }

        Type resolve(TypeVariable<?> variable) {
            TypeVariable<?>[] parameters = type.getTypeParameters();
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i].getName().equals(variable.getName())) {
                    return arguments == null ? parameters[i] : arguments[i];
                }
            }
            return variable;
        }
    }

    private static Type[] requestHandlerArguments(Class<?> handlerClass) {
        Deque<Visit> queue = new ArrayDeque<>();
        queue.add(new Visit(handlerClass, null));
        while (!queue.isEmpty()) {
            Visit current = queue.poll();
            for (Type candidate : current.type().getGenericInterfaces()) {
                Visit next = Visit.of(candidate, current);
                if (candidate instanceof ParameterizedType && RequestHandler.class.isAssignableFrom(next.type())) {
                    return next.arguments();
                }
                queue.add(next);
            }
            Type superclass = current.type().getGenericSuperclass();
            if (superclass != null) {
                queue.add(Visit.of(superclass, current));
            }
        }
        throw new IllegalArgumentException(handlerClass.getName() + " does not implement RequestHandler with concrete type parameters");
    }
}
