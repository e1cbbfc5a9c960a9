package dev.mcpgovernance.resource;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.ai.mcp.annotation.McpPrompt;
import org.springframework.ai.mcp.annotation.McpResource;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;

/**
 * Finds {@link GovernedResource} and {@link GovernedPrompt} methods on every bean as it is created,
 * with the URI (template) or prompt name Spring AI serves each under. Like the tools' registrar it
 * has no dependencies, so that it can run as early as a post-processor must; the
 * {@link GovernedResourceRegistry} turns the candidates into policies.
 */
public class GovernedResourceRegistrar implements BeanPostProcessor {

	private static final Log logger = LogFactory.getLog(GovernedResourceRegistrar.class);

	private final List<Candidate> candidates = new ArrayList<>();

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> type = AopUtils.getTargetClass(bean);
		ReflectionUtils.doWithMethods(type, (method) -> register(method, beanName),
				(method) -> AnnotatedElementUtils.hasAnnotation(method, GovernedResource.class)
						|| AnnotatedElementUtils.hasAnnotation(method, GovernedPrompt.class));
		return bean;
	}

	synchronized List<Candidate> drain() {
		List<Candidate> drained = List.copyOf(this.candidates);
		this.candidates.clear();
		return drained;
	}

	private synchronized void register(Method method, String beanName) {
		String declaredBy = method.getDeclaringClass().getSimpleName() + "#" + method.getName();
		GovernedResource resource = AnnotatedElementUtils.findMergedAnnotation(method, GovernedResource.class);
		if (resource != null) {
			McpResource served = AnnotatedElementUtils.findMergedAnnotation(method, McpResource.class);
			if (served == null || !StringUtils.hasText(served.uri())) {
				ignored(resource, declaredBy, beanName, "@McpResource with a uri");
			}
			else {
				this.candidates.add(new Candidate(GovernedKind.RESOURCE, served.uri(), Attributes.of(resource),
						declaredBy));
			}
		}
		GovernedPrompt prompt = AnnotatedElementUtils.findMergedAnnotation(method, GovernedPrompt.class);
		if (prompt != null) {
			McpPrompt served = AnnotatedElementUtils.findMergedAnnotation(method, McpPrompt.class);
			if (served == null) {
				ignored(prompt, declaredBy, beanName, "@McpPrompt");
			}
			else {
				// Spring AI names an unnamed prompt after its method.
				String name = StringUtils.hasText(served.name()) ? served.name() : method.getName();
				this.candidates.add(new Candidate(GovernedKind.PROMPT, name, Attributes.of(prompt), declaredBy));
			}
		}
	}

	private static void ignored(Annotation annotation, String declaredBy, String beanName, String missing) {
		logger.warn("@" + annotation.annotationType().getSimpleName() + " on " + declaredBy + " (bean '" + beanName
				+ "') has no effect: the method is not " + missing);
	}

	/** A governed resource or prompt method seen on a bean, not yet checked against the configuration. */
	record Candidate(GovernedKind kind, String key, Attributes attributes, String declaredBy) {
	}

	/** What {@link GovernedResource} and {@link GovernedPrompt} have in common. */
	record Attributes(String annotation, String domain, String resource, String action, boolean audit,
			List<String> redact, String rateLimit, String globalRateLimit) {

		static Attributes of(GovernedResource annotation) {
			return new Attributes("@GovernedResource", annotation.domain(), annotation.resource(), annotation.action(),
					annotation.audit(), List.of(annotation.redact()), annotation.rateLimit(),
					annotation.globalRateLimit());
		}

		static Attributes of(GovernedPrompt annotation) {
			return new Attributes("@GovernedPrompt", annotation.domain(), annotation.resource(), annotation.action(),
					annotation.audit(), List.of(annotation.redact()), annotation.rateLimit(),
					annotation.globalRateLimit());
		}

	}

}
