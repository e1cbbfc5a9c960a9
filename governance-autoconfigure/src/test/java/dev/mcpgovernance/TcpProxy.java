package dev.mcpgovernance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP proxy in front of a shared server (Redis, PostgreSQL) that a test can cut and restore, to
 * simulate an outage without touching the server other tests use.
 * <p>
 * The listening socket stays bound from construction to {@link #close()}: a cut resets every
 * connection, open or new, rather than closing the port, because a freed port can be handed to
 * another socket (an outgoing connection's ephemeral port) before {@link #restore()} binds it again.
 */
public final class TcpProxy implements AutoCloseable {

	private final int targetPort;

	private final ServerSocket server;

	/** Guards {@link #down} and {@link #sockets}, so a connection accepted during a cut is never kept. */
	private final Object lock = new Object();

	private final List<Socket> sockets = new ArrayList<>();

	private boolean down;

	/** While set, connections are accepted and bytes read, but nothing is passed on: a hung server. */
	private volatile boolean silent;

	public TcpProxy(int targetPort) throws IOException {
		this.targetPort = targetPort;
		this.server = new ServerSocket();
		this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		Thread acceptor = new Thread(this::acceptUntilClosed, "tcp-proxy-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	public int port() {
		return this.server.getLocalPort();
	}

	/** Resets every connection and every new one until {@link #restore()}: clients see a dead server. */
	public void cut() {
		synchronized (this.lock) {
			this.down = true;
			this.sockets.forEach(TcpProxy::reset);
			this.sockets.clear();
		}
	}

	/**
	 * Keeps every connection, open or new, but passes nothing on in either direction until
	 * {@link #restore()}: clients see a server that accepts and never answers (a black hole).
	 */
	public void silence() {
		this.silent = true;
	}

	/** Forwards new connections again (and ends a {@link #silence()}). */
	public void restore() {
		synchronized (this.lock) {
			this.down = false;
		}
		this.silent = false;
	}

	@Override
	public void close() throws IOException {
		cut();
		this.server.close();
	}

	private void acceptUntilClosed() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				synchronized (this.lock) {
					if (this.down) {
						reset(client);
						continue;
					}
					this.sockets.add(client);
				}
				if (!this.silent) {
					connect(client);
				}
			}
			catch (IOException ex) {
				// the proxy was closed
			}
		}
	}

	private void connect(Socket client) {
		try {
			Socket target = new Socket(InetAddress.getLoopbackAddress(), this.targetPort);
			synchronized (this.lock) {
				if (this.down) {
					reset(client);
					reset(target);
					return;
				}
				this.sockets.add(target);
			}
			pump(client, target);
			pump(target, client);
		}
		catch (IOException ex) {
			reset(client);
		}
	}

	/** Closes with SO_LINGER 0, so the peer gets a reset at once rather than a graceful end. */
	private static void reset(Socket socket) {
		try {
			socket.setSoLinger(true, 0);
			socket.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

	private void pump(Socket from, Socket to) {
		Thread pump = new Thread(() -> {
			byte[] buffer = new byte[8192];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					if (!this.silent) {
						out.write(buffer, 0, read);
						out.flush();
					}
				}
			}
			catch (IOException ex) {
				// connection closed
			}
			finally {
				reset(from);
				reset(to);
			}
		}, "tcp-proxy-pump");
		pump.setDaemon(true);
		pump.start();
	}

}
