package dev.handnet.example.loops;

import dev.handnet.backend.Backend;
import dev.handnet.tck.BackendContract;

/** handnet's backend contract, all of it, against LoopsBackend: nothing else is needed. */
class LoopsBackendTest extends BackendContract {

    @Override
    protected Backend createBackend() {
        return new LoopsBackend();
    }
}
