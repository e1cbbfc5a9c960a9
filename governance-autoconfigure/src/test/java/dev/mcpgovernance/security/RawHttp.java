package dev.mcpgovernance.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for the requests java.net.http refuses to send (a foreign Host, odd
 * methods, huge or malformed headers, any body bytes). Every request asks for {@code Connection:
 * close}, so an answer is finished exactly when the server closes the connection; one that is still
 * open at the deadline is reported unfinished.
 */
final class RawHttp {

	private RawHttp() {
	}

	/** A request: the method, the target, the header lines (name and value) and the body bytes. */
	record Request(String method, String target, List<String[]> headers, byte[] body) {

		static Request of(String method, String target) {
			return new Request(method, target, new ArrayList<>(), null);
		}

		Request header(String name, String value) {
			List<String[]> headers = new ArrayList<>(this.headers);
			headers.add(new String[] { name, value });
			return new Request(this.method, this.target, headers, this.body);
		}

		Request body(String text) {
			return body(text.getBytes(StandardCharsets.UTF_8));
		}

		Request body(byte[] bytes) {
			return new Request(this.method, this.target, this.headers, bytes);
		}

		boolean has(String name) {
			return this.headers.stream().anyMatch((header) -> header[0].equalsIgnoreCase(name));
		}

		@Override
		public String toString() {
			StringBuilder text = new StringBuilder(this.method).append(' ').append(abbreviate(this.target));
			for (String[] header : this.headers) {
				text.append(" | ").append(header[0]).append(": ").append(abbreviate(header[1]));
			}
			if (this.body != null) {
				text.append(" | body ").append(abbreviate(new String(this.body, StandardCharsets.ISO_8859_1)));
			}
			return text.toString();
		}

		private static String abbreviate(String text) {
			return (text.length() > 80) ? text.substring(0, 60) + "…(" + text.length() + " chars)" : text;
		}

	}

	/**
	 * An answer: {@code status} is -1 when not even a status line came; {@code finished} whether the
	 * server ended it before the deadline.
	 */
	record Answer(int status, Map<String, String> headers, String body, boolean finished) {

		String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

	}

	static Answer send(int port, Request request, Duration timeout) throws IOException {
		long deadline = System.nanoTime() + timeout.toNanos();
		try (Socket socket = new Socket("127.0.0.1", port)) {
			OutputStream out = socket.getOutputStream();
			ByteArrayOutputStream head = new ByteArrayOutputStream();
			head.writeBytes((request.method() + " " + request.target() + " HTTP/1.1\r\n").getBytes(StandardCharsets.UTF_8));
			if (!request.has("Host")) {
				head.writeBytes(("Host: 127.0.0.1:" + port + "\r\n").getBytes(StandardCharsets.UTF_8));
			}
			for (String[] header : request.headers()) {
				head.writeBytes((header[0] + ": " + header[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
			}
			if (request.body() != null && !request.has("Content-Length")) {
				head.writeBytes(("Content-Length: " + request.body().length + "\r\n").getBytes(StandardCharsets.UTF_8));
			}
			head.writeBytes("Connection: close\r\n\r\n".getBytes(StandardCharsets.UTF_8));
			try {
				out.write(head.toByteArray());
				if (request.body() != null) {
					out.write(request.body());
				}
				out.flush();
			}
			catch (IOException ex) {
				// The server may answer and close before it reads everything (a header too large): read what came.
			}
			ByteArrayOutputStream received = new ByteArrayOutputStream();
			boolean finished = readToEnd(socket, received, deadline);
			return parse(received.toByteArray(), finished);
		}
	}

	private static boolean readToEnd(Socket socket, ByteArrayOutputStream received, long deadline) throws IOException {
		InputStream in = socket.getInputStream();
		byte[] buffer = new byte[8192];
		while (true) {
			long left = (deadline - System.nanoTime()) / 1_000_000;
			if (left <= 0) {
				return false;
			}
			socket.setSoTimeout((int) Math.max(1, left));
			int read;
			try {
				read = in.read(buffer);
			}
			catch (SocketTimeoutException ex) {
				return false;
			}
			catch (IOException ex) {
				// A reset after the answer: the server is done with the connection.
				return true;
			}
			if (read < 0) {
				return true;
			}
			received.write(buffer, 0, read);
		}
	}

	private static Answer parse(byte[] bytes, boolean finished) {
		String text = new String(bytes, StandardCharsets.ISO_8859_1);
		int end = text.indexOf("\r\n\r\n");
		if (!text.startsWith("HTTP/") || end < 0) {
			return new Answer(-1, Map.of(), new String(bytes, StandardCharsets.UTF_8), finished);
		}
		String[] lines = text.substring(0, end).split("\r\n");
		int status = Integer.parseInt(lines[0].split(" ")[1]);
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			if (colon > 0) {
				headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
						lines[i].substring(colon + 1).trim(), (first, second) -> first + ", " + second);
			}
		}
		// ISO-8859-1 maps each byte to one char, so chunk sizes (in bytes) index this text exactly.
		String body = text.substring(end + 4);
		if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
			body = dechunk(body);
		}
		return new Answer(status, headers, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8),
				finished);
	}

	/** The chunks' data; what follows a malformed chunk is kept as it is, so nothing is hidden. */
	private static String dechunk(String body) {
		StringBuilder data = new StringBuilder();
		int at = 0;
		while (at < body.length()) {
			int lineEnd = body.indexOf("\r\n", at);
			if (lineEnd < 0) {
				data.append(body.substring(at));
				break;
			}
			int size;
			try {
				size = Integer.parseInt(body.substring(at, lineEnd).split(";")[0].trim(), 16);
			}
			catch (NumberFormatException ex) {
				data.append(body.substring(at));
				break;
			}
			if (size == 0) {
				break;
			}
			int start = lineEnd + 2;
			int stop = Math.min(body.length(), start + size);
			data.append(body, start, stop);
			at = stop + 2;
		}
		return data.toString();
	}

}
