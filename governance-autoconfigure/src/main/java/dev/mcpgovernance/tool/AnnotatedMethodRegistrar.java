package dev.mcpgovernance.tool;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds the methods carrying one of the governance annotations on every bean as it is created, and
 * keeps what a subclass makes of each (a candidate) until its registry drains them. It has no
 * dependencies, so that it can run as early as a post-processor must; the registry turns the
 * candidates into policies once the configuration is known.
 * @param <C> what a governed method becomes
 */
public abstract class AnnotatedMethodRegistrar<C> implements BeanPostProcessor {

	private final List<Class<? extends Annotation>> annotations;

	private final List<C> candidates = new ArrayList<>();

	protected AnnotatedMethodRegistrar(List<Class<? extends Annotation>> annotations) {
		this.annotations = List.copyOf(annotations);
	}

	@Override
	public final Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> type = AopUtils.getTargetClass(bean);
		ReflectionUtils.doWithMethods(type, (method) -> registerEach(method, beanName), (method) -> this.annotations
			.stream()
			.anyMatch((annotation) -> AnnotatedElementUtils.hasAnnotation(method, annotation)));
		return bean;
	}

	/** The candidates found since the last call. */
	protected final synchronized List<C> drainCandidates() {
		List<C> drained = List.copyOf(this.candidates);
		this.candidates.clear();
		return drained;
	}

	/**
	 * What a governed method becomes; empty when it is not served (the subclass says why).
	 * @param declaredBy the method as start-up messages name it ({@code OrderTools#cancel})
	 */
	protected abstract List<C> candidates(Method method, String beanName, String declaredBy);

	private synchronized void registerEach(Method method, String beanName) {
		this.candidates.addAll(candidates(method, beanName,
				method.getDeclaringClass().getSimpleName() + "#" + method.getName()));
	}

}
