package dev.mcpgovernance.gateway;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.function.Consumer;

import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.method.MethodToolCallbackProvider;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.ResolvableType;

/**
 * A plain, ungoverned Spring AI MCP server (streamable HTTP; {@link #crmOverSse()} on SSE) on a random port: the upstream a
 * gateway test puts the starter in front of. {@link #crm()} and {@link #tickets()} serve different
 * tools, two of them with the same name.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class UpstreamTestServer {

	private static final String EXCLUDED = String.join(",",
			"org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
			"org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
			"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration");

	/** What the library completes an {@code isbn} from. */
	static final List<String> ISBNS = List.of("978-0441013593", "978-0553293357", "979-8888888888");

	static ConfigurableApplicationContext crm() {
		return start(new Crm(), "crm");
	}

	/** The CRM server on Spring AI's legacy HTTP+SSE transport (endpoint {@code /sse}). */
	static ConfigurableApplicationContext crmOverSse() {
		return start(new Crm(), "crm-sse", "SSE", (context) -> {
		});
	}

	static ConfigurableApplicationContext tickets() {
		return start(new Tickets(), "tickets");
	}

	/** The tickets server, adding the Authorization header of every request it receives to {@code seen}. */
	static ConfigurableApplicationContext tickets(Queue<String> seen) {
		return start(new Tickets(), "tickets", (context) -> context.registerBean("authorizationRecorder", Filter.class,
				() -> (request, response, chain) -> {
					String authorization = ((HttpServletRequest) request).getHeader("Authorization");
					seen.add((authorization != null) ? authorization : "<none>");
					chain.doFilter(request, response);
				}));
	}

	/** The tickets server with one more tool, written against the SDK's exchange (progress, logs, elicitation). */
	static ConfigurableApplicationContext withTool(String name, McpServerFeatures.SyncToolSpecification tool) {
		ConfigurableApplicationContext upstream = start(new Tickets(), name);
		// Added to the running server: a specification bean would not be merged with the @Tool methods' list.
		upstream.getBean(McpSyncServer.class).addTool(tool);
		return upstream;
	}

	/**
	 * A library server with one tool and, added to the running server, the resources
	 * {@code library://catalog} (its JSON holds a password), {@code library://staff} and
	 * {@code orders://stats} (a URI the gateway's own application serves too), the template
	 * {@code books://{isbn}}, and the prompts {@code review_book} and {@code internal_note}; the
	 * resource {@code library://whoami} and the prompt {@code whoami} answer with the id of the
	 * upstream session they were asked on. It completes the {@code isbn} of {@code review_book} and
	 * of {@code books://{isbn}} from {@link #ISBNS}, by prefix.
	 */
	static ConfigurableApplicationContext library() {
		// Completions only as beans: the SDK cannot add one to a running server.
		ConfigurableApplicationContext upstream = start(new Library(), "library",
				(context) -> context.registerBean("libraryCompletions", List.class,
						() -> List.of(isbnCompletion(new McpSchema.PromptReference("review_book")),
								isbnCompletion(new McpSchema.ResourceReference("books://{isbn}"))),
						(definition) -> ((RootBeanDefinition) definition).setTargetType(ResolvableType
							.forClassWithGenerics(List.class, McpServerFeatures.SyncCompletionSpecification.class))));
		McpSyncServer server = upstream.getBean(McpSyncServer.class);
		server.addResource(fixed("library://catalog", "catalog",
				"{\"books\":2,\"password\":\"upstream-secret-2\"}"));
		server.addResource(fixed("library://staff", "staff", "{\"staff\":[\"Ada\"]}"));
		server.addResource(fixed("orders://stats", "upstream_stats", "{\"from\":\"library\"}"));
		server.addResourceTemplate(new McpServerFeatures.SyncResourceTemplateSpecification(
				McpSchema.ResourceTemplate.builder().uriTemplate("books://{isbn}").name("book").mimeType("application/json").build(),
				(exchange, request) -> new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(
						request.uri(), "application/json", "{\"uri\":\"" + request.uri() + "\",\"title\":\"Dune\"}")))));
		server.addResource(new McpServerFeatures.SyncResourceSpecification(
				McpSchema.Resource.builder().uri("library://whoami").name("whoami").mimeType("text/plain").build(),
				(exchange, request) -> new McpSchema.ReadResourceResult(
						List.of(new McpSchema.TextResourceContents(request.uri(), "text/plain", exchange.sessionId())))));
		server.addPrompt(new McpServerFeatures.SyncPromptSpecification(
				new McpSchema.Prompt("whoami", "The upstream session", List.of()),
				(exchange, request) -> new McpSchema.GetPromptResult("whoami", List.of(new McpSchema.PromptMessage(
						McpSchema.Role.USER, new McpSchema.TextContent(exchange.sessionId()))))));
		server.addPrompt(prompt("review_book", "isbn"));
		server.addPrompt(prompt("internal_note", "topic"));
		return upstream;
	}

	private static McpServerFeatures.SyncCompletionSpecification isbnCompletion(McpSchema.CompleteReference reference) {
		return new McpServerFeatures.SyncCompletionSpecification(reference, (exchange, request) -> {
			List<String> values = ISBNS.stream().filter((isbn) -> isbn.startsWith(request.argument().value())).toList();
			return new McpSchema.CompleteResult(new McpSchema.CompleteResult.CompleteCompletion(values, values.size(), false));
		});
	}

	private static McpServerFeatures.SyncResourceSpecification fixed(String uri, String name, String json) {
		return new McpServerFeatures.SyncResourceSpecification(
				McpSchema.Resource.builder().uri(uri).name(name).mimeType("application/json").build(),
				(exchange, request) -> new McpSchema.ReadResourceResult(
						List.of(new McpSchema.TextResourceContents(request.uri(), "application/json", json))));
	}

	private static McpServerFeatures.SyncPromptSpecification prompt(String name, String argument) {
		return new McpServerFeatures.SyncPromptSpecification(
				new McpSchema.Prompt(name, "The " + name + " prompt",
						List.of(new McpSchema.PromptArgument(argument, "The " + argument, true))),
				(exchange, request) -> new McpSchema.GetPromptResult(name,
						List.of(new McpSchema.PromptMessage(McpSchema.Role.USER, new McpSchema.TextContent(
								name + " of " + request.arguments().get(argument))))));
	}

	static int port(ConfigurableApplicationContext upstream) {
		return Integer.parseInt(upstream.getEnvironment().getProperty("local.server.port"));
	}

	// Registered by an initializer: nested configuration classes would be picked up by every upstream.
	private static ConfigurableApplicationContext start(Object tools, String name) {
		return start(tools, name, (context) -> {
		});
	}

	private static ConfigurableApplicationContext start(Object tools, String name,
			Consumer<GenericApplicationContext> more) {
		return start(tools, name, "STREAMABLE", more);
	}

	private static ConfigurableApplicationContext start(Object tools, String name, String protocol,
			Consumer<GenericApplicationContext> more) {
		return new SpringApplicationBuilder(UpstreamTestServer.class)
			.initializers((GenericApplicationContext context) -> {
				context.registerBean(ToolCallbackProvider.class,
						() -> MethodToolCallbackProvider.builder().toolObjects(tools).build());
				more.accept(context);
			})
			.properties("server.port=0", "spring.main.banner-mode=off", "spring.ai.mcp.server.protocol=" + protocol,
					"spring.ai.mcp.server.name=" + name, "mcp.governance.enabled=false",
					"spring.autoconfigure.exclude=" + EXCLUDED, "management.endpoints.access.default=none")
			.run();
	}

	static class Crm {

		@Tool(name = "find_customer", description = "Find a customer by id")
		public Map<String, Object> findCustomer(String id) {
			Map<String, Object> customer = new LinkedHashMap<>();
			customer.put("id", id);
			customer.put("name", "Ada");
			customer.put("password", "upstream-secret-1");
			return customer;
		}

		@Tool(name = "delete_customer", description = "Delete a customer")
		public String deleteCustomer(String id) {
			return "deleted " + id;
		}

		@Tool(name = "lookup", description = "Look something up in the CRM")
		public String lookup(String query) {
			return "crm:" + query;
		}

		@Tool(name = "crm_fail", description = "Always fails")
		public String fail() {
			throw new IllegalStateException("jdbc:postgresql://crm-db/crm password=hunter2");
		}

	}

	static class Library {

		@Tool(name = "find_book", description = "Find a book by title")
		public String findBook(String title) {
			return "book:" + title;
		}

	}

	static class Tickets {

		@Tool(name = "lookup", description = "Look something up in the ticket system")
		public String lookup(String query) {
			return "tickets:" + query;
		}

		@Tool(name = "get_order", description = "The ticket of an order")
		public String getOrder(String orderId) {
			return "ticket-for:" + orderId;
		}

		@Tool(name = "open_ticket", description = "Open a ticket")
		public String openTicket(String title) {
			return "opened:" + title;
		}

	}

}
