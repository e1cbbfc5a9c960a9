package dev.mcpgovernance.tool;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.ai.mcp.annotation.McpTool;

import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.support.ToolUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;

/**
 * Finds {@link GovernedTool} methods on every bean as it is created, and works out the MCP tool name
 * each one is exposed under. The {@link GovernedToolRegistry} turns these into policies once the
 * configuration is known; this class has no dependencies so that it can run as early as a
 * post-processor must.
 */
public class GovernedToolRegistrar implements BeanPostProcessor {

	private static final Log logger = LogFactory.getLog(GovernedToolRegistrar.class);

	private final List<Candidate> candidates = new ArrayList<>();

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> type = AopUtils.getTargetClass(bean);
		ReflectionUtils.doWithMethods(type, (method) -> register(method, beanName),
				(method) -> AnnotatedElementUtils.hasAnnotation(method, GovernedTool.class));
		return bean;
	}

	synchronized List<Candidate> drain() {
		List<Candidate> drained = List.copyOf(this.candidates);
		this.candidates.clear();
		return drained;
	}

	private synchronized void register(Method method, String beanName) {
		GovernedTool annotation = AnnotatedElementUtils.findMergedAnnotation(method, GovernedTool.class);
		String toolName = toolName(method);
		String declaredBy = method.getDeclaringClass().getSimpleName() + "#" + method.getName();
		if (toolName == null) {
			logger.warn("@GovernedTool on " + declaredBy + " (bean '" + beanName
					+ "') has no effect: the method is neither @Tool nor @McpTool");
			return;
		}
		this.candidates.add(new Candidate(toolName, annotation, declaredBy));
	}

	private static String toolName(Method method) {
		McpTool mcpTool = AnnotatedElementUtils.findMergedAnnotation(method, McpTool.class);
		if (mcpTool != null) {
			return StringUtils.hasText(mcpTool.name()) ? mcpTool.name() : method.getName();
		}
		if (AnnotatedElementUtils.hasAnnotation(method, Tool.class)) {
			return ToolUtils.getToolName(method);
		}
		return null;
	}

	/** A governed tool method seen on a bean, not yet checked against the configuration. */
	record Candidate(String toolName, GovernedTool annotation, String declaredBy) {
	}

}
