# Plots of infra/bench/lab.sh: gnuplot -e "datadir='...'; outdir='...'" lab-plots.gp
set terminal pngcairo size 1200,640 font ",11"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set key outside top center horizontal
set grid ytics
set xtics noenhanced rotate by -15 offset -1,0
set key noenhanced

set output outdir.'/latency.png'
set title "Latency at 5 MB/s, 1 KiB records, acks=all (ms, log scale; lower is better)"
set logscale y
set ylabel "ms"
plot datadir.'/latency.dat' using 2:xtic(1) title "produce p50", '' using 3 title "produce p99", \
     '' using 4 title "produce p99.9", '' using 5 title "end-to-end p50", '' using 6 title "end-to-end p99", \
     '' using 7 title "end-to-end p99.9"

unset logscale y
set output outdir.'/throughput.png'
set title "Throughput, 1 KiB records, acks=all, 8 partitions (MB/s; higher is better)"
set ylabel "MB/s"
set yrange [0:*]
plot datadir.'/throughput.dat' using 2:xtic(1) title "Apache Kafka 4.3.1", '' using 3 title "Floe on radosgw"
