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

	private final Map<Method, Scope> requiredScopes = new ConcurrentHashMap<>();

	public GovernedToolAspect(GovernedToolRegistry registry, ToolErrorClassifier classifier, int order) {
		this.registry = registry;
		this.classifier = classifier;
		this.order = order;
	}

	@Around("@annotation(governedTool)")
	public Object govern(ProceedingJoinPoint joinPoint, GovernedTool governedTool) throws Throwable {
		GovernedCall call = GovernanceContext.current();
		if (call == null || call.caller() == null) {
			throw new ToolErrorException(ToolError.of(ToolErrorCode.UNAUTHENTICATED,
					"A governed tool ran without a verified caller."));
		}
		Method method = ((MethodSignature) joinPoint.getSignature()).getMethod();
		requireScope(call, method, governedTool);
		try {
			return joinPoint.proceed();
		}
		catch (Throwable failure) {
			ToolError error = this.classifier.classify(failure, describe(method), call.requestId(),
					List.of(governedTool.sourceUnavailable()));
			call.recordError(error);
			throw new ToolErrorException(error);
		}
	}

	private void requireScope(GovernedCall call, Method method, GovernedTool governedTool) {
		Scope required = this.requiredScopes.computeIfAbsent(method,
				(key) -> this.registry.requiredScope(governedTool, describe(key)));
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

}
