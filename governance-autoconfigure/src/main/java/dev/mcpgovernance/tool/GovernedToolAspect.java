package dev.mcpgovernance.tool;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.mcpgovernance.scope.Scope;
import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

import org.springframework.aop.ClassFilter;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcutAdvisor;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Runs around every {@link GovernedTool} method. The governor has already checked the scope for the
 * MCP call; this advisor makes the method itself fail closed when it is reached some other way (no
 * caller, or a caller without the scope), and records how the handler failed before the MCP
 * libraries flatten the exception into text.
 * <p>
 * A plain Spring AOP advisor matching the annotation by reflection, not an AspectJ aspect: matching
 * an AspectJ pointcut against every method of every bean at start-up cost the governed benchmark
 * server about 0.2 s (issue 23), and Spring's auto-proxy creator applies both the same way. The
 * auto-proxy creator builds advisors before other beans, so what the advice needs is looked up on
 * its first call rather than created that early.
 */
public class GovernedToolAspect extends StaticMethodMatcherPointcutAdvisor implements MethodInterceptor {

	/** Outside Resilience4j's aspects, so that a denied call never reaches a retry or a breaker. */
	public static final int DEFAULT_ORDER = HIGHEST_PRECEDENCE + 100;

	private final Supplier<GovernedToolRegistry> registry;

	private final Supplier<ToolErrorClassifier> classifier;

	private final Map<Method, Governed> governedMethods = new ConcurrentHashMap<>();

	public GovernedToolAspect(GovernedToolRegistry registry, ToolErrorClassifier classifier, int order) {
		this(() -> registry, () -> classifier, order);
	}

	/**
	 * @param registry looked up on the first call of a governed method
	 * @param classifier looked up on the first failure of a governed method
	 */
	public GovernedToolAspect(Supplier<GovernedToolRegistry> registry, Supplier<ToolErrorClassifier> classifier,
			int order) {
		this.registry = registry;
		this.classifier = classifier;
		setOrder(order);
		setClassFilter(new CandidateClasses());
	}

	@Override
	public Advice getAdvice() {
		return this;
	}

	/** Whether the method that runs carries the annotation ({@link #annotationOn}). */
	@Override
	public boolean matches(Method method, Class<?> targetClass) {
		return annotationOn(method, targetClass) != null;
	}

	@Override
	public Object invoke(MethodInvocation invocation) throws Throwable {
		GovernedCall call = GovernanceContext.current();
		if (call == null || call.caller() == null) {
			throw new ToolErrorException(ToolError.of(ToolErrorCode.UNAUTHENTICATED,
					"A governed tool ran without a verified caller."));
		}
		Method method = invocation.getMethod();
		Governed governed = this.governedMethods.computeIfAbsent(method,
				(key) -> governed(key, invocation.getThis()));
		requireScope(call, governed.required());
		try {
			return invocation.proceed();
		}
		catch (Throwable failure) {
			ToolError error = this.classifier.get().classify(failure, describe(method), call.requestId(),
					List.of(governed.annotation().sourceUnavailable()));
			call.recordError(error);
			throw new ToolErrorException(error);
		}
	}

	private Governed governed(Method method, Object target) {
		GovernedTool annotation = annotationOn(method, (target != null) ? AopUtils.getTargetClass(target) : null);
		return new Governed(annotation, this.registry.get().requiredScope(annotation, describe(method)));
	}

	/**
	 * The annotation on the method that runs: the target class's own version of the method called,
	 * else the method called (an annotation on an interface's method does not count, as with AspectJ).
	 */
	private static GovernedTool annotationOn(Method method, Class<?> targetClass) {
		if (targetClass != null && !Proxy.isProxyClass(targetClass)) {
			GovernedTool onTarget = AopUtils.getMostSpecificMethod(method, targetClass).getAnnotation(GovernedTool.class);
			if (onTarget != null) {
				return onTarget;
			}
		}
		return method.getAnnotation(GovernedTool.class);
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

	private record Governed(GovernedTool annotation, Scope required) {
	}

	/** Skips the classes that cannot carry the annotation (the JDK's, for one) before any method is looked at. */
	private static final class CandidateClasses implements ClassFilter {

		@Override
		public boolean matches(Class<?> type) {
			return AnnotationUtils.isCandidateClass(type, GovernedTool.class);
		}

	}

}
