namespace PolicyEngine.Redis;

/// <summary>Which clock a <see cref="RedisStateStore"/> measures windows and approval lifetimes with.</summary>
public enum RedisClock
{
    /// <summary>
    /// Redis <c>TIME</c>, read inside each script: one clock for every replica, whatever their own clocks say. The default.
    /// </summary>
    Server,

    /// <summary>
    /// The evaluator's clock (<see cref="StateRequest.Now"/> and the <c>now</c> arguments): for servers that refuse
    /// <c>TIME</c> in scripts, and for tests driven by a virtual <see cref="TimeProvider"/>. Replicas must then keep
    /// their clocks in step; a counter's time still never goes back (it is clamped to its newest spend).
    /// </summary>
    Client,
}
