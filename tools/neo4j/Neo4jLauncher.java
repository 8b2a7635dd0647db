// Starts an embedded Neo4j 5.26 DBMS with Bolt on 127.0.0.1 so the Python side can test against a real server
// without Docker or a tarball. Run in single-file source mode (no javac step):
//   java -Xms256m -Xmx1g --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
//        --add-opens=java.base/sun.nio.ch=ALL-UNNAMED -cp 'tools/neo4j/lib/*' tools/neo4j/Neo4jLauncher.java \
//        --port 7687 [--home DIR] [--pagecache 256m] [--tx-memory 512m] [--auth-password -|env:NAME]
// Auth is off unless --auth-password is given: then it is on, and user neo4j gets the password read from the first
// line of stdin ("-") or from the environment variable NAME, never from argv (which `ps` shows to every user).
// Prints exactly one line "NEO4J_READY bolt://127.0.0.1:<port>" once a query has run; SIGTERM/SIGINT shut down cleanly.
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.SettingValueParsers;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;

public class Neo4jLauncher {
    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new HashMap<>(Map.of("--port", "7687", "--pagecache", "256m", "--tx-memory", "512m"));
        for (int i = 0; i + 1 < argv.length; i += 2) a.put(argv[i], argv[i + 1]);
        int port = Integer.parseInt(a.get("--port"));
        String password = a.containsKey("--auth-password") ? readPassword(a.get("--auth-password")) : null;
        boolean tempHome = !a.containsKey("--home");
        Path home = tempHome ? Files.createTempDirectory("neo4j-home-")
                             : Files.createDirectories(Path.of(a.get("--home")));
        SocketAddress bolt = new SocketAddress("127.0.0.1", port);
        DatabaseManagementService[] dbms = {null};
        Runtime.getRuntime().addShutdownHook(new Thread(() -> { // also runs when build() throws (port taken...)
            if (dbms[0] != null) dbms[0].shutdown(); // flushes the page cache, releases store_lock: store stays clean
            System.err.println("NEO4J_STOPPED");
            if (tempHome) deleteTree(home);
        }, "neo4j-shutdown"));
        dbms[0] = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, bolt)
                .setConfig(BoltConnector.advertised_address, bolt)
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, password != null)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory,
                        SettingValueParsers.BYTES.parse(a.get("--pagecache")))
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size,
                        SettingValueParsers.BYTES.parse(a.get("--tx-memory")))
                // Netty idles a 5 s quiet period twice (boss + workers) on shutdown; 0: SIGTERM takes ~1 s, not ~11.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .build();
        try {
            if (password != null) setPassword(dbms[0], password);
            dbms[0].database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");
        } catch (RuntimeException e) { // Bolt is already up: exit (the hook shuts down) rather than serve half-ready
            e.printStackTrace();
            System.exit(1);
        }
        System.out.println("NEO4J_READY bolt://127.0.0.1:" + port);
        System.out.flush();
        Thread.currentThread().join(); // park; the shutdown hook does the rest
    }

    /** "-": the first line of stdin; "env:NAME": that environment variable. A literal password is refused. */
    static String readPassword(String source) throws IOException {
        String password;
        if (source.equals("-")) {
            password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        } else if (source.startsWith("env:")) {
            password = System.getenv(source.substring(4));
        } else { // never echo `source`: it may be the password typed where it does not belong
            throw new IllegalArgumentException("--auth-password takes '-' (read the password from stdin) or "
                    + "env:NAME (read it from that environment variable), not the password itself: ps shows argv");
        }
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("--auth-password " + source + " gave an empty password");
        }
        return password;
    }

    /** Sets neo4j's password (no change required at first login); a kept home that already has it stays as is. */
    static void setPassword(DatabaseManagementService dbms, String password) {
        try { // a parameter, so the password is in no query text that a log or an error could quote
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
        } catch (QueryExecutionException e) {
            if (!String.valueOf(e.getMessage()).contains("Old password and new password cannot be the same")) throw e;
        }
    }

    static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            System.err.println("could not delete " + root + ": " + e);
        }
    }
}
