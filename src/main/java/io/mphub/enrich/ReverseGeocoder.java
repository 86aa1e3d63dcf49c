package io.mphub.enrich;

/** One reverse-geocoding call to a provider, bounded by the provider's timeout. */
@FunctionalInterface
public interface ReverseGeocoder {

    /**
     * Asks the provider about one cell and classifies its answer; never throws for what the provider or the network
     * did (that is an outcome).
     *
     * @throws InterruptedException when the hub is stopping
     */
    GeocodeResult lookup(Coordinates.Cell cell) throws InterruptedException;
}
