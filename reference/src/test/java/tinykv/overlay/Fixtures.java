package tinykv.overlay;

/** Two versions of one class, the second breaking the overlay contract, to prove the check bites. */
final class Fixtures {
    private Fixtures() {}

    static class Student {
        void work() {}

        int provided(int x) {
            return Math.abs(x);
        }
    }

    static class Solution {
        int leaked;

        public void work() {}

        int provided(int x) {
            return Math.max(x, -x);
        }
    }
}
