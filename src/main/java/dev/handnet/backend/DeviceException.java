package dev.handnet.backend;

/** A requested device that does not exist, cannot be opened, or failed. */
public class DeviceException extends RuntimeException {

    public DeviceException(String message) {
        super(message);
    }

    public DeviceException(String message, Throwable cause) {
        super(message, cause);
    }
}
