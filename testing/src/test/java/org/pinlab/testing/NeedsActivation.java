package org.pinlab.testing;

/** An admission policy that SCR would have to activate before use. */
public class NeedsActivation extends RefuseEveryPin {

    boolean active;

    void activate() {
        active = true;
    }
}
