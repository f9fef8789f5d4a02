package pools;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** One reserved term's price of a pool. */
@Entity
@Table(name = "pools_reserved_price")
@IdClass(ReservedPriceEntity.Key.class)
class ReservedPriceEntity extends PanacheEntityBase {

    @Id
    @Column(name = "pool_id")
    public Long poolId;

    @Id
    @Column(name = "term_days")
    public int termDays;

    @Column(name = "dc_per_hour", nullable = false)
    public long dcPerHour;

    static class Key implements Serializable {
        public Long poolId;
        public int termDays;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(k.poolId, poolId) && k.termDays == termDays;
        }

        @Override
        public int hashCode() {
            return Objects.hash(poolId, termDays);
        }
    }
}
