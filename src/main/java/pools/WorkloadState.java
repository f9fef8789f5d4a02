package pools;

/** A lease's workload on a GPU host as its node agent reports it. */
public enum WorkloadState {
    /** The agent is starting it (pulling the image, creating the container). */
    STARTING,
    /** It runs; the minutes in which it is reported so are the minutes the market charges. */
    RUNNING,
    /** It could not start, or it exited by itself; the agent restarts nothing, the reason says why. */
    FAILED,
    /** The agent stopped and removed it (its lease ended or left the feed). */
    STOPPED
}
