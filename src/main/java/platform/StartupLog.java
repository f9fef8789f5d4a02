package platform;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Tells the person who started the product where its data lives. */
@ApplicationScoped
class StartupLog {

    private static final Logger LOG = Logger.getLogger(StartupLog.class);

    void onStart(@Observes StartupEvent event, PlatformConfig config) {
        LOG.infof("Data directory: %s", config.dataDir().toAbsolutePath());
    }
}
