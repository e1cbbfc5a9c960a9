package dev.mcpgovernance.tool;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.mcpgovernance.scope.Scope;

import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.aspectj.lang.reflect.MethodSignature;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.Ordered;

/**
 * Runs around every {@link GovernedTool} method. The governor has already checked the scope for the
 * MCP call; this aspect makes the method itself fail closed when it is reached some other way (no
 * caller, or a caller without the scope), and records how the handler failed before the MCP
 * libraries flatten the exception into text.
 */
@Aspect
public class GovernedToolAspect implements Ordered {

	/** Outside Resilience4j's aspects, so that a denied call never reaches a retry or a breaker. */
	public static final int DEFAULT_ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

	private final GovernedToolRegistry registry;

	private final ToolErrorClassifier classifier;

	private final int order;

	private final Map<Method, Governed> governedMethods = new ConcurrentHashMap<>();

	public GovernedToolAspect(GovernedToolRegistry registry, ToolErrorClassifier classifier, int order) {
		this.registry = registry;
		this.classifier = classifier;
		this.order = order;
	}

	// Matched without binding the annotation: a bound annotation made Spring AOP re-run the AspectJ
	// matcher on every call (a dynamic match), which cost more than the tool; the annotation and the
	// scope it requires are looked up once per method instead.
	@Around("@annotation(dev.mcpgovernance.tool.GovernedTool)")
	public Object govern(ProceedingJoinPoint joinPoint) throws Throwable {
		GovernedCall call = GovernanceContext.current();
		if (call == null || call.caller() == null) {
			throw new ToolErrorException(ToolError.of(ToolErrorCode.UNAUTHENTICATED,
					"A governed tool ran without a verified caller."));
		}
		Method method = ((MethodSignature) joinPoint.getSignature()).getMethod();
		Governed governed = this.governedMethods.computeIfAbsent(method,
				(key) -> governed(key, joinPoint.getTarget()));
		requireScope(call, governed.required());
		try {
			return joinPoint.proceed();
		}
		catch (Throwable failure) {
			ToolError error = this.classifier.classify(failure, describe(method), call.requestId(),
					List.of(governed.annotation().sourceUnavailable()));
			call.recordError(error);
			throw new ToolErrorException(error);
		}
	}

	/** The annotation as AspectJ matched it: on the target class's method, the one that runs. */
	private Governed governed(Method method, Object target) {
		Method specific = (target != null) ? AopUtils.getMostSpecificMethod(method, AopUtils.getTargetClass(target))
				: method;
		GovernedTool annotation = specific.getAnnotation(GovernedTool.class);
		if (annotation == null) {
			annotation = method.getAnnotation(GovernedTool.class);
		}
		return new Governed(annotation, this.registry.requiredScope(annotation, describe(method)));
	}

	private void requireScope(GovernedCall call, Scope required) {
		if (!call.caller().holds(required)) {
			ToolError denied = ToolError.missingScope(call.toolName(), required);
			call.recordError(denied);
			throw new ToolErrorException(denied);
		}
	}

	private static String describe(Method method) {
		return method.getDeclaringClass().getSimpleName() + "#" + method.getName();
	}

	@Override
	public int getOrder() {
		return this.order;
	}

	private record Governed(GovernedTool annotation, Scope required) {
	}

}
