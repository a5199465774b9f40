package io.floe.runtime.lambda;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * What the AWS Lambda Java runtime does with a function, minus the network hop to the Runtime API:
 * loads the handler class named by the function's Handler setting from the function's class path
 * (the unpacked function.zip and its {@code lib/}), creates it (cold start), then for each event
 * calls {@code handleRequest(InputStream, OutputStream, Context)} one at a time.
 *
 * <p>Runs as its own process (see {@link FunctionProcess}). Protocol on stdin/stdout, one line
 * each: an event in, base64; {@code ANSWER <base64 response>} out. Uses only the JDK and
 * reflection, so it runs on exactly the function's class path. Single-threaded.
 */
public final class LambdaJavaRuntime {

    private LambdaJavaRuntime() {
    }

    public static void main(String[] args) throws Exception {
        String[] handler = args[0].split("::");
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        Class<?> type = Class.forName(handler[0], true, cl);
        Object instance = type.getDeclaredConstructor().newInstance();
        Class<?> contextType = Class.forName("com.amazonaws.services.lambda.runtime.Context", true, cl);
        Method method = type.getMethod(handler[1], java.io.InputStream.class, java.io.OutputStream.class, contextType);
        System.out.println("READY");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            byte[] event = Base64.getDecoder().decode(line.trim());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                method.invoke(instance, new ByteArrayInputStream(event), out, context(contextType, cl));
                System.out.println("ANSWER " + Base64.getEncoder().encodeToString(out.toByteArray()));
            } catch (java.lang.reflect.InvocationTargetException e) {
                // Lambda turns a handler exception into an error response; so do we, with the trace.
                java.io.StringWriter trace = new java.io.StringWriter();
                e.getCause().printStackTrace(new java.io.PrintWriter(trace));
                System.out.println("FAILED " + Base64.getEncoder().encodeToString(trace.toString().getBytes(StandardCharsets.UTF_8)));
            }
            System.out.flush();
        }
        System.exit(0); // stdin closed: the "environment" is shut down (Quarkus's threads would keep the JVM up)
    }

    private static Object context(Class<?> contextType, ClassLoader cl) {
        String requestId = UUID.randomUUID().toString();
        return Proxy.newProxyInstance(cl, new Class<?>[] {contextType}, (p, m, a) -> switch (m.getName()) {
            case "getAwsRequestId" -> requestId;
            case "getFunctionName" -> "floe";
            case "getFunctionVersion" -> "$LATEST";
            case "getInvokedFunctionArn" -> "arn:aws:lambda:us-east-1:000000000000:function:floe";
            case "getLogGroupName" -> "/aws/lambda/floe";
            case "getLogStreamName" -> "local";
            case "getRemainingTimeInMillis" -> 30_000;
            case "getMemoryLimitInMB" -> 1024;
            case "toString" -> "LocalContext";
            case "hashCode" -> System.identityHashCode(p);
            case "equals" -> p == a[0];
            default -> null; // identity, client context, logger
        });
    }
}
