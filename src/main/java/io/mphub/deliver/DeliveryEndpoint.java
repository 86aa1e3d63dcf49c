package io.mphub.deliver;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** {@code mphub-delivery:<destination>}: the outbox topic of one destination, read by an {@link OutboxConsumer}. */
final class DeliveryEndpoint extends DefaultEndpoint {

    private final String destination;

    DeliveryEndpoint(String uri, DeliveryComponent component, String destination) {
        super(uri, component);
        this.destination = destination;
    }

    @Override
    public DeliveryComponent getComponent() {
        return (DeliveryComponent) super.getComponent();
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        OutboxConsumer consumer = getComponent().consumer(this, processor, destination);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException(getEndpointUri() + " is read from, never written to: events reach a"
                + " destination through its outbox topic");
    }
}
