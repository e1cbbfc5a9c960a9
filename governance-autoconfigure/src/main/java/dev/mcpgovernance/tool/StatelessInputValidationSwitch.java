package dev.mcpgovernance.tool;

import java.lang.reflect.Field;

import io.modelcontextprotocol.server.McpStatelessSyncServer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.ReflectionUtils;

/**
 * Turns off the MCP SDK's argument check on the stateless server, as {@link GovernedSyncServerCustomizer}
 * does on the stateful one: the SDK runs it before the tool's handler, so an invalid call would be
 * answered before governance (no scope check, no envelope, no audit record), and the governor checks
 * the whole schema itself after the scope check. Spring AI 2.0.1 builds the stateless server with no
 * customizer, so the built server's switch is set here; delete this class once Spring AI offers one.
 * When the SDK's fields are not where this expects them, the SDK's check stays on and a warning says
 * so: invalid calls are then still refused, only before governance.
 */
class StatelessInputValidationSwitch implements BeanPostProcessor {

	private static final Log logger = LogFactory.getLog(StatelessInputValidationSwitch.class);

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof McpStatelessSyncServer server) {
			switchOff(server);
		}
		return bean;
	}

	private static void switchOff(McpStatelessSyncServer server) {
		try {
			Object asyncServer = read(server, "asyncServer");
			Field validate = field(asyncServer.getClass(), "validateToolInputs");
			validate.setBoolean(asyncServer, false);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			logger.warn("The MCP SDK's argument check stays on for the stateless server (" + ex.getClass().getName()
					+ "): calls with invalid arguments are refused before governance, without an audit record");
		}
	}

	private static Object read(Object target, String name) throws ReflectiveOperationException {
		return field(target.getClass(), name).get(target);
	}

	private static Field field(Class<?> type, String name) throws NoSuchFieldException {
		Field field = ReflectionUtils.findField(type, name);
		if (field == null) {
			throw new NoSuchFieldException(name);
		}
		ReflectionUtils.makeAccessible(field);
		return field;
	}

}
