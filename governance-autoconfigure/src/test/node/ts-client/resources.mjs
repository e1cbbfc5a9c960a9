// Connects the MCP TypeScript SDK v2 client to a governed server and exercises its resources and
// prompts: the template and prompt lists, a read, a prompt get, a completion and a subscription.
// Prints one JSON object on stdout: each step's result, or the JSON-RPC error it ended with (code,
// message, data), so the Java test asserts on what the SDK saw.
//
// Environment: MCP_URL (the MCP endpoint), MCP_API_KEY (sent as X-API-Key), MCP_URI (the resource to
// read and subscribe to), MCP_PROMPT and MCP_TEMPLATE (the prompt to get, the template to complete).
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

const requestInit = { headers: { 'X-API-Key': process.env.MCP_API_KEY } };
const transport = new StreamableHTTPClientTransport(new URL(process.env.MCP_URL), { requestInit });
const client = new Client({ name: 'governance-ts-resources-it', version: '1.0.0' });
const result = { connected: false, steps: {} };

async function step(name, request) {
	try {
		result.steps[name] = { ok: await request() };
	}
	catch (error) {
		result.steps[name] = { error: { code: error?.code ?? null, message: error?.message ?? String(error), data: error?.data ?? null } };
	}
}

try {
	await client.connect(transport, { timeout: 10_000 });
	result.connected = true;
	const uri = process.env.MCP_URI;
	await step('templates', async () => (await client.listResourceTemplates()).resourceTemplates.map((template) => template.uriTemplate));
	await step('prompts', async () => (await client.listPrompts()).prompts.map((prompt) => prompt.name));
	await step('read', async () => (await client.readResource({ uri })).contents.map((content) => content.text));
	await step('get', async () => (await client.getPrompt({ name: process.env.MCP_PROMPT, arguments: { orderId: 'o-8' } })).messages.map((message) => message.content.text));
	await step('complete', async () => (await client.complete({ ref: { type: 'ref/resource', uri: process.env.MCP_TEMPLATE }, argument: { name: 'orderId', value: 'o-' } })).completion.values);
	await step('subscribe', async () => client.subscribeResource({ uri }));
}
catch (error) {
	result.error = { code: error?.code ?? null, message: error?.message ?? String(error) };
}
finally {
	await client.close().catch(() => {});
}
process.stdout.write(JSON.stringify(result) + '\n');
process.exit(0);
