package org.pinlab.testing;

/** An admission policy that only code, not SCR or the class path, can construct. */
public class NoDefaultConstructor extends RefuseEveryPin {

    public NoDefaultConstructor(int unused) {
    }
}
