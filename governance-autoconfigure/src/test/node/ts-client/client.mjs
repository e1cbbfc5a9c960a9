// Connects the MCP TypeScript SDK v2 client to a governed server with versionNegotiation 'auto' (it
// probes the 2026-07-28 era with server/discover first and falls back to the 2025 initialize
// handshake), then lists the tools and calls one. Prints one JSON object on stdout, so the Java test
// asserts on what the SDK saw, and on every HTTP answer the server gave, instead of on log text.
//
// Environment: MCP_URL (the MCP endpoint), MCP_API_KEY (sent as X-API-Key; absent: no credentials),
// MCP_TOOL and MCP_ARGUMENTS (a JSON object) for the call.
import { Client, StreamableHTTPClientTransport, extractWWWAuthenticateParams } from '@modelcontextprotocol/client';

const exchanges = [];
const bodies = [];

// Records each HTTP exchange as the SDK's transport makes it. The bodies of answers to POSTs are read
// from a clone, so the SDK still reads its own copy; the GET stream stays open for notifications and
// is not read.
async function recordingFetch(url, init) {
	const headers = new Headers(init?.headers);
	const response = await fetch(url, init);
	const exchange = {
		method: init?.method ?? 'GET',
		mcpMethod: headers.get('mcp-method'),
		protocolVersionHeader: headers.get('mcp-protocol-version'),
		requestBody: typeof init?.body === 'string' ? init.body : null,
		status: response.status,
		contentType: response.headers.get('content-type'),
		wwwAuthenticate: response.headers.get('www-authenticate'),
		resourceMetadata: extractWWWAuthenticateParams(response).resourceMetadataUrl?.href ?? null,
		body: null
	};
	exchanges.push(exchange);
	if (exchange.method === 'POST') {
		bodies.push(response.clone().text().then((text) => (exchange.body = text), (error) => (exchange.body = `unreadable: ${error}`)));
	}
	return response;
}

function describe(error) {
	return {
		name: error?.name ?? null,
		code: error?.code ?? null,
		message: error?.message ?? String(error),
		status: error?.data?.status ?? null,
		text: error?.data?.text ?? null
	};
}

const requestInit = process.env.MCP_API_KEY ? { headers: { 'X-API-Key': process.env.MCP_API_KEY } } : undefined;
const transport = new StreamableHTTPClientTransport(new URL(process.env.MCP_URL), { requestInit, fetch: recordingFetch });
const client = new Client({ name: 'governance-ts-client-it', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
const result = { connected: false };
try {
	await client.connect(transport, { timeout: 10_000 });
	result.connected = true;
	result.era = client.getProtocolEra() ?? null;
	result.protocolVersion = client.getNegotiatedProtocolVersion() ?? null;
	result.tools = (await client.listTools()).tools.map((tool) => tool.name);
	const call = await client.callTool({ name: process.env.MCP_TOOL, arguments: JSON.parse(process.env.MCP_ARGUMENTS ?? '{}') });
	result.call = { isError: call.isError ?? false, content: call.content, structuredContent: call.structuredContent ?? null };
}
catch (error) {
	result.error = describe(error);
}
finally {
	await client.close().catch(() => {});
}
await Promise.race([Promise.allSettled(bodies), new Promise((resolve) => setTimeout(resolve, 5_000))]);
result.exchanges = exchanges;
process.stdout.write(JSON.stringify(result) + '\n');
// The fetch of the closed GET stream may keep the event loop alive a little; the answer is written.
process.exit(0);
